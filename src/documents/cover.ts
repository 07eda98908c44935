/**
 * The cover 报告 that sends the package up, and the list of pictures and videos (pure: blocks
 * out). The district's goes to the higher authority; a department's to its superior, copied
 * to the lead unit, as the plan requires (报上级主管部门，并抄送同级市场监管部门). Who the
 * higher authority is the campaign does not say: a highlighted prompt stands there.
 */
import type { Campaign } from '../campaign/schema.js';
import type { Block } from './docx.js';
import { prompt, sentence } from './draft.js';
import { chineseDate } from '../text/labels.js';
import { titleLines } from './text.js';

/** One attachment of the cover: its number is its place in the list; `file` is where it is in the package. */
export interface Attachment {
  /** The full name, as the 附件说明 and the attachment's own title give it. */
  name: string;
  /** What the report's text calls it: 统计表. */
  short: string;
  file: string;
}

export interface CoverInput {
  campaign: Campaign;
  /** The unit sending: the issuer, or the department's official name. */
  sender: string;
  /** A department's package: copied to the lead unit (the campaign's issuer). */
  isDepartment: boolean;
  attachments: readonly Attachment[];
  /** YYYY-MM-DD of the report. */
  date: string;
  /** Whom to call about it; a prompt where it is not known. */
  contact?: { name: string; phone: string };
  /** Departments that did not report (the district's report says so). */
  missing: readonly string[];
  seal?: boolean;
}

/** 关于报送……工作总结及相关材料的报告 */
export function coverReport(input: CoverInput): Block[] {
  const { campaign, attachments } = input;
  const subject = `关于报送${campaign.title}工作总结及相关材料的`;
  const names = attachments.map((a) => a.short);
  let text =
    `根据《${campaign.title}方案》要求，${input.isDepartment ? '我单位' : `${input.sender}牵头`}组织开展了${campaign.title}。` +
    `现将${names.length > 1 ? `${names.slice(0, -1).join('、')}和${names.at(-1)}` : names.join('')}报上，请审阅。`;
  if (input.missing.length) text += `${input.missing.join('、')}尚未报送材料，待报送后另行补报。`;
  const contact = input.contact ? `联系人：${input.contact.name}，电话：${input.contact.phone}` : prompt('联系人及电话');
  return [
    { kind: 'title', lines: titleLines(subject, '报告') },
    { kind: 'blank' },
    { kind: 'plain', text: `${prompt(input.isDepartment ? '上级主管部门名称' : '上级机关名称')}：` },
    { kind: 'body', text },
    { kind: 'body', text: '特此报告。' },
    { kind: 'blank' },
    { kind: 'attachments', items: attachments.map((a) => a.name) },
    { kind: 'blank' },
    { kind: 'signature', issuer: input.sender, date: chineseDate(input.date), ...(input.seal && { seal: true }) },
    { kind: 'body', text: `（${contact}）` },
    ...(input.isDepartment ? [{ kind: 'blank' } as Block, { kind: 'cc', text: sentence(`抄送：${campaign.issuer}`) } as Block] : []),
  ];
}

/** One picture or video of the package, with what its sender said about it. */
export interface MaterialEntry {
  department: string;
  /** Its path in the package. */
  file: string;
  /** 时间、地点、事由, as typed by the department; absent when none was given. */
  caption?: string;
}

/** 图片视频资料目录: 序号、单位、文件名、说明, one paragraph a file. */
export function materialList(input: { campaign: Campaign; mark: string; entries: readonly MaterialEntry[] }): Block[] {
  const blocks: Block[] = [
    { kind: 'attachment-head', text: input.mark },
    { kind: 'blank' },
    { kind: 'title', lines: titleLines(input.campaign.title, '图片视频资料目录') },
    { kind: 'blank' },
  ];
  let department = '';
  let n = 0;
  for (const e of input.entries) {
    if (e.department !== department) {
      department = e.department;
      blocks.push({ kind: 'h3', text: department });
    }
    const name = e.file.split('/').pop()!;
    blocks.push({ kind: 'body', text: `${++n}.${name}${e.caption ? `：${sentence(e.caption)}` : ''}` });
  }
  return blocks;
}
