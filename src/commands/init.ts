/** `report init`: blank submissions in which every line says what to write. */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCampaign } from '../source/campaign.js';
import type { Campaign, Department } from '../campaign/schema.js';
import { ExitCode, ReportError } from '../diagnostics.js';
import { list, osReason, t } from '../messages/index.js';
import { displayWidth } from '../reporters/style.js';
import { departmentFinder } from '../campaign/lookup.js';
import { formatBeijing } from '../status/time.js';
import { publishFile } from '../fs.js';
import { modeline, schemaFileName, submissionJsonSchema } from '../submission/json-schema.js';
import type { Io } from '../io.js';

export interface InitOptions {
  department?: string;
  all?: boolean;
  out?: string;
  campaign?: string;
  /** yaml (default): a commented text blank; xlsx: the fill-in workbook. */
  format?: 'yaml' | 'xlsx';
}

export async function init(options: InitOptions, io: Io): Promise<ExitCode> {
  const campaign = await loadCampaign(options.campaign);
  let departments: Department[];
  if (options.all) departments = campaign.departments;
  else if (options.department) {
    const found = departmentFinder(campaign)(options.department);
    if (!found) {
      io.stderr(t('usage/unknown-department', { value: options.department, valid: list(campaign.departments.map((d) => d.name)) }));
      return ExitCode.usage;
    }
    departments = [found];
  } else {
    io.stderr(t('usage/init-which'));
    return ExitCode.usage;
  }
  const dir = options.out ?? '.';
  await mkdir(dir, { recursive: true }).catch((error: unknown) => {
    throw new ReportError('usage/write-failed', { file: dir, reason: osReason(error) });
  });
  let exitCode: ExitCode = ExitCode.ok;
  const xlsx = options.format === 'xlsx';
  // exceljs only for a workbook.
  const writeFillIn = xlsx ? (await import('../template/fill-in.js')).writeFillIn : undefined;
  if (!xlsx) await writeSchemaBeside(dir, campaign, io);
  for (const department of departments) {
    const file = join(dir, `${department.name}.${xlsx ? 'xlsx' : 'yaml'}`);
    try {
      // Neither fails over an existing file: a filled-in submission is never overwritten.
      if (writeFillIn) await writeFillIn(file, campaign, department);
      else await writeFile(file, blankSubmission(campaign, department), { flag: 'wx' });
      io.stdout(`${t('ui/init-written', { file })}\n  ${t('ui/init-next', { file })}`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        // Anything but EEXIST means the file is ours (or was never made): leave no half-written blank behind.
        await rm(file, { force: true });
        throw new ReportError('usage/write-failed', { file, reason: osReason(error) });
      }
      io.stderr(t('usage/exists', { file }));
      exitCode = ExitCode.usage;
    }
  }
  return exitCode;
}

/**
 * The JSON Schema the blanks' first line points at, written beside them for editors (VS Code
 * with the YAML extension completes keys and shows labels as the clerk types). One that is
 * there already and differs — an earlier version's, another campaign's, or damaged — would
 * mark correct entries red or miss mistakes: it is replaced with the current one, and said so.
 * The file is made by this tool from the campaign; no clerk writes it by hand.
 */
async function writeSchemaBeside(dir: string, campaign: Campaign, io: Io): Promise<void> {
  const file = join(dir, schemaFileName(campaign));
  const text = `${JSON.stringify(submissionJsonSchema(campaign), null, 2)}\n`;
  const old = await readFile(file, 'utf8').catch(() => undefined);
  if (old === text) return;
  try {
    await publishFile(file, text, old !== undefined);
    io.stdout(t(old === undefined ? 'ui/schema-written' : 'ui/schema-refreshed', { file }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return; // another init wrote it a moment ago
    throw new ReportError('usage/write-failed', { file, reason: osReason(error) });
  }
}

/** One line of YAML with its comment aligned in a column. */
function line(yaml: string, comment?: string, column = 28): string {
  if (!comment) return yaml;
  const pad = Math.max(1, column - displayWidth(yaml));
  return `${yaml}${' '.repeat(pad)}# ${comment}`;
}

/** The text of a blank submission for one department. Every line carries a Chinese comment. */
export function blankSubmission(campaign: Campaign, department: Department): string {
  const deadline = formatBeijing(campaign.deadline);
  const out: string[] = [
    modeline(campaign),
    `# ${campaign.title} · 报送文件`,
    `# 填报单位：${department.name}　　报送截止：${deadline}（北京时间）　　汇总单位：${campaign.issuer}`,
    '# 填写须知：',
    '#   1. 冒号用英文“:”，冒号后空一格；缩进只用空格，不用 Tab。',
    '#   2. 数字只写阿拉伯数字，不写单位、不加千分位逗号；次数、件数为整数，金额（万元）最多 4 位小数。',
    '#   3. 确实为零填 0；没有数据或尚未统计的请留空——留空表示“未报送”，汇总时不会被当作 0。',
    '#   4. 以 # 开头的是说明文字，可以保留。',
    `#   5. 填好后运行：report validate ${department.name}.yaml`,
    '',
    line(`department: ${department.name}`, '填报单位，请勿修改'),
    line('filled_by:', '填表人姓名，例：张伟'),
    line('reviewed_by:', '审核人姓名（可不填），例：李明'),
    line('leader:', '单位负责人姓名（可不填），例：王强'),
    line('phone:', '联系电话，例：0559-8512345 或 13800000000'),
    line('submitted_at:', '报送日期，例：2024-11-10 或 2024年11月10日'),
    '',
    `# 统计表（${campaign.table_title}）：每项只写数字`,
    line('statistics:', '统计表各项数据，每项一行'),
  ];
  let group = '';
  for (const indicator of campaign.indicators) {
    if (indicator.group !== group) {
      group = indicator.group;
      out.push(`  # —— ${group} ——`);
    }
    const kind = indicator.kind === 'count' ? '整数' : '数字，最多 4 位小数';
    const example = indicator.kind === 'count' ? '12' : '3.5';
    const hint = indicator.hint ? `${indicator.hint.replace(/[。；;.]$/, '')}；` : '';
    out.push(line(`  ${indicator.id}:`, `${indicator.label}（${indicator.unit}），${kind}。${hint}例：${example}`));
  }
  out.push('', '# 重点任务落实情况：“序号: 落实情况”，写清做了什么、取得什么成效；本单位负责的任务都要填写', line('tasks:', '重点任务落实情况，每项任务一行'));
  for (const task of campaign.tasks) {
    const mine = task.departments !== 'all' && task.departments.includes(department.id);
    if (!mine && task.departments !== 'all') continue;
    const whose = mine ? '本单位负责' : '各有关单位按职责分工负责，有则填写';
    out.push(`  # 任务${task.no}【${task.category}】${task.title}（${whose}）`);
    out.push(line(`  ${task.no}:`, '例：组织开展专项检查 3 次，督促 12 家平台完成整改'));
  }
  out.push(
    '',
    '# 典型案例：每个案例以“- title:”开头，可填写多个；去掉下面各行开头的“# ”即可使用',
    line('cases:', '典型案例列表，没有可留空'),
    line('  # - title: 某某公司网络销售不合格充电器案', '案例名称'),
    line('  #   task: 16', '所属任务序号（见上方 tasks）'),
    line('  #   date: 2024-09-12', '立案或查处日期'),
    line('  #   summary: 经查，当事人……', '基本案情'),
    line('  #   result: 罚款 2 万元', '处理结果（可不填）'),
    line('  #   fine: 2', '罚没款，万元（可不填）'),
    line('  #   exposed: true', '是否已公开曝光：true 是，false 否'),
    line('  #   legal_basis: 违反《中华人民共和国产品质量法》第三十九条，依据第五十条', '法律依据（可不填）'),
    line('  #   significance: 对网售不合格产品形成震慑', '典型意义（可不填）'),
    '',
    '# 专项行动总结：在“summary: |”的下一行起，每行缩进两个空格书写；也可删去这两行，改写 summary_file: 总结.txt（与本文件放在同一文件夹）',
    line('summary: |', '专项行动总结（经验做法、存在问题、下一步打算）'),
    '  ',
    '',
    '# 图片视频资料：文件放在本文件旁的文件夹中（如“材料”），每行一个，写相对路径',
    line('materials:', '图片视频资料列表，没有可留空'),
    line('  # - 材料/检查现场1.jpg', '例：材料文件夹中的照片'),
    '',
  );
  return out.join('\n');
}
