/** The Word documents of a package, by kind: the district's set, or one department's own. */
import type { Campaign, Department } from '../campaign/schema.js';
import { officialName } from '../campaign/lookup.js';
import type { Io } from '../io.js';
import { osReason, t } from '../messages/index.js';
import type { DepartmentStatus } from '../model.js';
import { paint } from '../reporters/style.js';
import { drawChart, renderPng } from './chart.js';
import { caseCompilation, ownSummary, summaryDraft, type DraftInput } from './draft.js';
import type { PackageDocument } from './package.js';

const SUMMARY_DRAFT = '专项行动总结（汇总稿）.docx';
const OWN_SUMMARY = '专项行动总结.docx';
const CASES = '典型案例汇编.docx';

interface Input {
  campaign: Campaign;
  statuses: readonly DepartmentStatus[];
  totals: Record<string, number | undefined>;
  dataDate: string;
}

/** The chart of the main indicators; without it (no figures, or no renderer for this system) the draft goes on. */
async function chartFor(input: Input, io: Io): Promise<DraftInput['chart']> {
  const chart = drawChart(input.campaign, input.statuses, input.totals);
  if (!chart) return undefined;
  try {
    return { png: await renderPng(chart), width: chart.width, height: chart.height };
  } catch (error) {
    io.stderr(paint.yellow(t('pack/chart-failed', { reason: (error as NodeJS.ErrnoException).code ? osReason(error) : t('pack/chart-no-renderer') })));
    return undefined;
  }
}

/** The district's 总结 draft (with its chart) and the case compilation. */
export async function districtDocuments(input: Input, io: Io): Promise<PackageDocument[]> {
  const { campaign } = input;
  const chart = await chartFor(input, io);
  return [
    { file: SUMMARY_DRAFT, title: `${campaign.title}工作总结（汇总稿）`, blocks: summaryDraft({ ...input, ...(chart && { chart }) }) },
    { file: CASES, title: `${campaign.title}典型案例汇编`, blocks: caseCompilation({ ...input, compiler: campaign.issuer }) },
  ];
}

/** A department's own 总结 (its summary as a 公文) and its cases. */
export function ownDocuments(input: Input, department: Department): PackageDocument[] {
  const { campaign } = input;
  const status = input.statuses.find((s) => s.id === department.id);
  if (!status) throw new Error(`no status for ${department.id}`);
  return [
    { file: OWN_SUMMARY, title: `${officialName(department)}${campaign.title}工作总结`, blocks: ownSummary(campaign, department, status, input.dataDate) },
    { file: CASES, title: `${officialName(department)}${campaign.title}典型案例汇编`, blocks: caseCompilation({ ...input, compiler: officialName(department) }) },
  ];
}
