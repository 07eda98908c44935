/**
 * The 总结's sentence on what the lower levels' figures leave out (issue 19): “其中黄山区未含区林业局
 * 数据，徽州区未含区文旅体局、区公安分局数据。” Its own module, so the draft calls it with one line
 * wherever its opening is written.
 */
import type { Campaign } from '../campaign/schema.js';
import type { DepartmentStatus } from '../model.js';
import { departmentGaps, reportedIndicators } from '../status/gaps.js';

/** The sentence, or '' when every lower level's table is complete. */
export function gapSentence(campaign: Campaign, statuses: readonly DepartmentStatus[]): string {
  const reported = reportedIndicators(statuses);
  const parts = statuses.flatMap((s) => {
    const gaps = departmentGaps(campaign, s, reported);
    const units = [...new Set(gaps.filter((g) => g.unit).map((g) => g.unit))];
    return [...(units.length ? [`${s.name}未含${units.join('、')}数据`] : []), ...gaps.filter((g) => !g.unit).map((g) => `${s.name}${g.reason}`)];
  });
  return parts.length ? `其中${parts.join('，')}。` : '';
}
