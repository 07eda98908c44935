/** Finding a campaign's departments by the names people write. */
import { toHalfWidth } from '../submission/values.js';
import type { Campaign, Department } from './schema.js';

const finders = new WeakMap<Campaign, (name: string) => Department | undefined>();

/** Finds departments by id, name or alias (built once per campaign: a province has thousands of names). */
export function departmentFinder(campaign: Campaign): (name: string) => Department | undefined {
  let find = finders.get(campaign);
  if (!find) {
    const byName = new Map<string, Department>();
    for (const d of campaign.departments) for (const n of [d.id, d.name, ...d.aliases]) byName.set(n, d);
    find = (name) => byName.get(toHalfWidth(name).trim());
    finders.set(campaign, find);
  }
  return find;
}
