/**
 * 报送清单.txt: every file of the package with its size and SHA-256, each department's
 * source files with theirs, and every material that is not in the package or was renamed.
 * In Chinese whatever --lang is (it goes to the authorities, like the workbook); UTF-8 with
 * a byte-order mark and CRLF line ends, so Notepad on any Windows shows it right.
 */
import type { Campaign } from '../campaign/schema.js';
import type { DepartmentStatus } from '../model.js';
import { zh } from '../messages/zh.js';
import type { FileDigest, MaterialPlan } from './materials.js';
import { formatSize } from '../fs.js';
import { chineseDate } from '../text/labels.js';

export const MANIFEST_NAME = '报送清单.txt';

/** A file of the package: its path inside the package folder (forward slashes) and digest. */
export interface PackagedFile extends FileDigest {
  path: string;
}

/** A department's source file (the submission, and its summary file if it has one). */
export interface SourceFile extends FileDigest {
  department: string;
  path: string;
}

/** Why a material is left out, as the manifest says it. */
const LEFT_OUT: Record<string, string> = {
  'material/missing': '找不到文件',
  'material/outside': '路径在报送文件夹之外',
  'material/absolute': '路径是绝对路径',
  'material/not-file': '不是文件',
  'pack/unclaimed-package': '下级的材料包，无法归属到已报送的单位（文件夹名中应有单位名称，其汇总表应在它旁边）',
};

export function manifestText(input: {
  campaign: Campaign;
  statuses: readonly DepartmentStatus[];
  dataDate: string;
  files: readonly PackagedFile[];
  sources: readonly SourceFile[];
  materials: MaterialPlan;
  limit: number;
  /** A department's own package: the department's official name (填报单位), not the issuer's. */
  unit?: string;
}): Buffer {
  const { campaign, files, sources, materials } = input;
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const lines = [
    `${campaign.title} 报送清单`,
    input.unit ? `填报单位：${input.unit}` : `汇总单位：${campaign.issuer}`,
    `数据截至：${chineseDate(input.dataDate)}`,
    '',
    `一、材料包内的文件（${files.length}个，共${total}字节，即${formatSize(total)}；本清单除外）`,
    '每行依次为：SHA-256、字节数、文件（相对于材料包文件夹）。',
    ...files.map((f) => `${f.sha256}  ${f.size}  ${f.path}`),
    '',
    '二、各单位报送文件',
    '每行依次为：单位、状态、SHA-256、字节数、文件。',
  ];
  for (const s of input.statuses) {
    const own = sources.filter((x) => x.department === s.name);
    const state = zh[`state/${s.state}`];
    if (own.length === 0) lines.push(`${s.name}  ${state}`);
    for (const x of own) lines.push(`${s.name}  ${state}  ${x.sha256}  ${x.size}  ${x.path}`);
  }
  if (materials.problems.length) {
    lines.push('', `三、未收入材料包的材料（${materials.problems.length}个）`);
    for (const p of materials.problems) {
      const why = p.reason === 'pack/too-large' ? `${formatSize(p.size ?? 0)}，超过单个材料${formatSize(input.limit)}的上限` : (LEFT_OUT[p.reason] ?? p.reason);
      lines.push(`${p.department}  ${p.written}  ${why}`);
    }
  }
  const renamed = materials.copies.filter((c) => c.renamed);
  if (renamed.length) {
    lines.push('', `${materials.problems.length ? '四' : '三'}、因重名改名的材料（${renamed.length}个）`);
    for (const c of renamed) lines.push(`${c.to}  ←  ${c.department}报送的 ${c.written}`);
  }
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}
