/** The Word documents of a package, by kind: the district's set, or one department's own. */
import type { Campaign, Department } from '../campaign/schema.js';
import { leadContact, officialName } from '../campaign/lookup.js';
import { osReason, t } from '../messages/index.js';
import { submissionOf, type DepartmentStatus } from '../model.js';
import { unitFileName } from '../fs.js';
import { coverReport, materialList, type Attachment, type MaterialEntry } from './cover.js';
import { drawChart, renderPng } from './chart.js';
import { caseCompilation, ownSummary, summaryDraft, type DraftInput } from './draft.js';
import { workbookFileName, type PackageDocument } from './package.js';
import type { Comparison } from '../history/compare.js';

/** The files' names after the unit's (unitFileName): 黄山区市场监督管理局-典型案例汇编.docx. */
const SUMMARY_DRAFT = '专项行动总结（汇总稿）.docx';
const OWN_SUMMARY = '专项行动总结.docx';
const CASES = '典型案例汇编.docx';
/** The cover 报告: named so that it sorts first among its unit's files. */
const COVER = '0-报送报告.docx';
const MATERIAL_LIST = '图片视频资料目录.docx';

/** The package's documents named after `unit`. */
function fileNames(unit: string) {
  const named = (file: string) => unitFileName(unit, file);
  return { summaryDraft: named(SUMMARY_DRAFT), ownSummary: named(OWN_SUMMARY), cases: named(CASES), cover: named(COVER), materialList: named(MATERIAL_LIST) };
}

interface Input {
  campaign: Campaign;
  statuses: readonly DepartmentStatus[];
  totals: Record<string, number | undefined>;
  dataDate: string;
  comparison?: Comparison;
  /** The pictures and videos in the package (for their list). */
  materials: readonly MaterialEntry[];
  /** Lay the 落款 out for a seal (GB/T 9704 7.3.5.1). */
  seal?: boolean;
}

/**
 * The chart of the main indicators; without it (no figures, or no renderer for this system) the
 * draft goes on, and `warn` is told why.
 */
async function chartFor(input: Input, warn: (message: string) => void): Promise<DraftInput['chart']> {
  const chart = drawChart(input.campaign, input.statuses, input.totals, input.comparison);
  if (!chart) return undefined;
  try {
    return { png: await renderPng(chart), width: chart.width, height: chart.height };
  } catch (error) {
    warn(t('pack/chart-failed', { reason: (error as NodeJS.ErrnoException).code ? osReason(error) : t('pack/chart-no-renderer') }));
    return undefined;
  }
}

/** The statistics table's mark: it is the second of the cover's attachments (attachmentsOf). */
export const TABLE_MARK = '附件2';

/** The attachments of the cover, in order: 总结, 统计表, 典型案例汇编, and the list of pictures when there are any. */
function attachmentsOf(campaign: Campaign, unit: string, summaryFile: string, hasMaterials: boolean): Attachment[] {
  const files = fileNames(unit);
  return [
    { name: `${campaign.title}工作总结`, short: '专项行动工作总结', file: summaryFile },
    { name: campaign.table_title, short: '统计表', file: workbookFileName(campaign, unit) },
    { name: `${campaign.title}典型案例汇编`, short: '典型案例汇编', file: files.cases },
    ...(hasMaterials ? [{ name: `${campaign.title}图片视频资料目录`, short: '图片视频资料', file: files.materialList }] : []),
  ];
}
const mark = (attachments: readonly Attachment[], file: string) => `附件${attachments.findIndex((a) => a.file === file) + 1}`;


/** The district's cover report, 总结 draft (with its chart), case compilation and list of pictures. */
export async function districtDocuments(input: Input, warn: (message: string) => void): Promise<PackageDocument[]> {
  const { campaign } = input;
  const chart = await chartFor(input, warn);
  const files = fileNames(campaign.issuer);
  const attachments = attachmentsOf(campaign, campaign.issuer, files.summaryDraft, input.materials.length > 0);
  const contact = leadContact(campaign);
  const cover = coverReport({
    campaign,
    sender: campaign.issuer,
    isDepartment: false,
    attachments,
    date: input.dataDate,
    ...(contact && { contact }),
    missing: input.statuses.filter((s) => !submissionOf(s)).map((s) => s.name),
    ...(input.seal && { seal: true }),
  });
  return [
    { file: files.cover, title: `关于报送${campaign.title}工作总结及相关材料的报告`, blocks: cover },
    { file: files.summaryDraft, title: `${campaign.title}工作总结（汇总稿）`, blocks: summaryDraft({ ...input, mark: mark(attachments, files.summaryDraft), ...(chart && { chart }) }) },
    { file: files.cases, title: `${campaign.title}典型案例汇编`, blocks: caseCompilation({ ...input, compiler: campaign.issuer, mark: mark(attachments, files.cases) }) },
    ...(input.materials.length ? [{ file: files.materialList, title: `${campaign.title}图片视频资料目录`, blocks: materialList({ campaign, mark: mark(attachments, files.materialList), entries: input.materials }) }] : []),
  ];
}

/** A department's own cover report (to its superior, copied to the lead unit), 总结 (its summary as a 公文), cases and list of pictures. */
export function ownDocuments(input: Input, department: Department): PackageDocument[] {
  const { campaign } = input;
  const status = input.statuses.find((s) => s.id === department.id);
  if (!status) throw new Error(`no status for ${department.id}`);
  const submission = submissionOf(status);
  const name = officialName(department);
  const files = fileNames(name);
  const attachments = attachmentsOf(campaign, name, files.ownSummary, input.materials.length > 0);
  const date = submission?.submittedAt?.slice(0, 10) ?? input.dataDate;
  const cover = coverReport({
    campaign,
    sender: name,
    isDepartment: true,
    attachments,
    date,
    ...(submission && { contact: { name: submission.filledBy, phone: submission.phone } }),
    missing: [],
    ...(input.seal && { seal: true }),
  });
  return [
    { file: files.cover, title: `${name}关于报送${campaign.title}工作总结及相关材料的报告`, blocks: cover },
    { file: files.ownSummary, title: `${name}${campaign.title}工作总结`, blocks: ownSummary(campaign, department, status, input.dataDate, mark(attachments, files.ownSummary), input.seal) },
    { file: files.cases, title: `${name}${campaign.title}典型案例汇编`, blocks: caseCompilation({ ...input, compiler: name, mark: mark(attachments, files.cases) }) },
    ...(input.materials.length ? [{ file: files.materialList, title: `${name}${campaign.title}图片视频资料目录`, blocks: materialList({ campaign, mark: mark(attachments, files.materialList), entries: input.materials }) }] : []),
  ];
}
