/**
 * Writes the custom document properties of a merged workbook (merged-layout.ts MERGE_PROPS):
 * kept by Excel, WPS and LibreOffice when the file is saved again, never shown in a cell.
 */
import { createHash } from 'node:crypto';
import type { Campaign } from '../campaign/schema.js';
import type { DepartmentStatus } from '../model.js';
import { levelGaps } from '../status/gaps.js';
import { MERGE_PROPS } from './merged-layout.js';
import { CONTENT_TYPE, REL_TYPE, XlsxPackage, relOfType } from './package.js';
import { children, parseXml, setText, type Document, type Element } from './xml.js';

const CUSTOM_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/custom-properties';
const VT_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes';
const CUSTOM_FMTID = '{D5CDD505-2E9C-101B-9397-08002B2CF9AE}';

/**
 * The properties of one merge. The id is a digest of its inputs (campaign, date, each unit's
 * state and file), so the same inputs give the same bytes and another week's merge another id.
 */
export function mergeProperties(campaign: Campaign, statuses: readonly DepartmentStatus[], fillDate: string, skipped: readonly string[] = []): Record<string, string> {
  const inputs = JSON.stringify([campaign.id, fillDate, statuses.map((s) => [s.id, s.state, s.checked?.sha256 ?? null, s.checked?.secondFile?.sha256 ?? null]), skipped]);
  return {
    [MERGE_PROPS.campaign]: campaign.id,
    [MERGE_PROPS.period]: `${campaign.period.start}/${campaign.period.end}`,
    [MERGE_PROPS.issuer]: campaign.issuer,
    [MERGE_PROPS.id]: createHash('sha256').update(inputs).digest('hex').slice(0, 32),
    [MERGE_PROPS.gaps]: JSON.stringify(levelGaps(campaign, statuses, skipped).map((g) => [g.unit, g.reason])),
  };
}

/** Sets text properties in the package's custom properties part (made when absent); others are kept. */
export function setCustomProperties(pkg: XlsxPackage, props: Record<string, string>): void {
  let part = relOfType(pkg, '', 'custom-properties')?.target;
  if (!part || !pkg.has(part)) {
    part = 'docProps/custom.xml';
    pkg.put(part, parseXml(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="${CUSTOM_NS}" xmlns:vt="${VT_NS}"/>`));
    pkg.addRel('', REL_TYPE.customProperties, part);
    pkg.setContentType(part, CONTENT_TYPE.customProperties);
  }
  const doc = pkg.doc(part) as Document;
  const root = doc.documentElement as Element;
  for (const p of children(root, 'property')) if (Object.hasOwn(props, p.getAttribute('name') ?? '')) root.removeChild(p);
  let pid = Math.max(1, ...children(root, 'property').map((p) => Number(p.getAttribute('pid') ?? 1)));
  for (const [name, text] of Object.entries(props)) {
    const prop = doc.createElementNS(root.namespaceURI, root.prefix ? `${root.prefix}:property` : 'property');
    prop.setAttribute('fmtid', CUSTOM_FMTID);
    prop.setAttribute('pid', String(++pid));
    prop.setAttribute('name', name);
    const value = doc.createElementNS(VT_NS, 'vt:lpwstr');
    setText(value, text);
    prop.appendChild(value);
    root.appendChild(prop);
  }
  pkg.touch(part);
}
