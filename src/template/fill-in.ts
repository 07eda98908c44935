/**
 * The fill-in workbook (`report init 区林业局 --format xlsx`): a department's whole submission
 * as an official-looking form, for clerks who work in WPS or Excel. Labels are locked by sheet
 * protection without a password (the layout stays, and a clerk can still unprotect); the cells
 * to fill are unlocked and shaded, each with a Chinese input prompt and, where the value has a
 * kind, data validation with a Chinese error alert. Validations are added per range
 * (`ws.dataValidations.add`): set cell by cell, exceljs writes overlapping duplicates (#2820).
 * The layout is fill-in-layout.ts, which the reader shares.
 */
import ExcelJS from 'exceljs';
import type { Campaign, Department } from '../campaign/schema.js';
import { formatBeijing } from '../status/time.js';
import {
  BASIC_FIELDS, CASE_HEADERS, CASE_RANGE, CASE_ROOM, LAYOUT_VERSION, MARKER, MARKER_SHEET, MATERIAL_HEADER,
  MATERIAL_ROOM, MATERIAL_CAPTION_HEADER, SHEETS, SUMMARY_LABEL, TASK_HEADERS, tasksFor,
} from '../layout/fill-in.js';
import { BODY_FONT, BOX, CENTRE, HEADER_FONT, LEFT, LINE_FONT, TITLE_FONT, TOP_LEFT, estimateLines, fitHeight, lineHeight, put } from './style.js';
import { campaignWorkbook, groupIndicators, templateDate } from './default.js';
import { columnLetter } from '../xlsx/refs.js';
import { workbookBytes } from './write.js';
import { publishFile } from '../fs.js';
import { leadContact } from '../campaign/lookup.js';

/** The pale yellow of cells to fill, as official forms shade them. */
const FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
const NOTE_FONT: Partial<ExcelJS.Font> = { name: '仿宋', size: 11, color: { argb: 'FF595959' } };
const UNLOCKED: Partial<ExcelJS.Protection> = { locked: false };

/** Sheet protection without a password: formats and rows may change, labels may not. */
const PROTECTION: Partial<ExcelJS.WorksheetProtection> = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
  insertRows: true,
  deleteRows: true,
};

interface Validation {
  type: 'whole' | 'decimal' | 'list' | 'date' | 'textLength';
  operator?: string;
  formulae: unknown[];
  allowBlank?: boolean;
  promptTitle?: string;
  prompt?: string;
  errorTitle?: string;
  error?: string;
}

/** One validation over a range (exceljs's typings omit `dataValidations`). */
function validate(ws: ExcelJS.Worksheet, range: string, v: Validation): void {
  const dv = (ws as unknown as { dataValidations: { add(range: string, v: object): void } }).dataValidations;
  dv.add(range, { allowBlank: true, showInputMessage: Boolean(v.prompt), showErrorMessage: true, errorStyle: 'stop', ...v });
}

/** An input prompt alone, for text cells: no rule, only the hint a clerk sees on selecting the cell. */
function prompt(ws: ExcelJS.Worksheet, range: string, title: string, text: string): void {
  validate(ws, range, { type: 'textLength', operator: 'lessThanOrEqual', formulae: [32767], promptTitle: title, prompt: text });
}

/** A cell to fill: unlocked, shaded, boxed. */
function fillCell(cell: ExcelJS.Cell, alignment: Partial<ExcelJS.Alignment>, numFmt?: string): void {
  cell.style = { font: BODY_FONT, alignment, border: BOX, fill: FILL, protection: UNLOCKED, ...(numFmt && { numFmt }) };
}

/** A4 portrait or landscape, one page wide; `rows` repeated on every page. */
function print(ws: ExcelJS.Worksheet, orientation: 'portrait' | 'landscape', rows?: string): void {
  ws.pageSetup = {
    ...ws.pageSetup,
    paperSize: 9,
    orientation,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    ...(rows && { printTitlesRow: rows }),
  };
  ws.headerFooter = { ...ws.headerFooter, oddFooter: '&C第 &P 页，共 &N 页' };
}

function title(ws: ExcelJS.Worksheet, text: string, lastCol: number): void {
  put(ws.getCell(1, 1), text, { ...TITLE_FONT, size: 16 }, { horizontal: 'center', vertical: 'middle', wrapText: true });
  ws.mergeCells(1, 1, 1, lastCol);
  ws.getRow(1).height = 36;
}

function note(ws: ExcelJS.Worksheet, row: number, text: string, lastCol: number, width: number): void {
  put(ws.getCell(row, 1), text, NOTE_FONT, { horizontal: 'left', vertical: 'top', wrapText: true });
  if (lastCol > 1) ws.mergeCells(row, 1, row, lastCol);
  ws.getRow(row).height = Math.max(20, estimateLines(text, width, 11) * lineHeight(11) + 6);
}

const dateOf = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** A date rule for `label`: any day from the year before the period to the year after the deadline. */
type DateRule = (label: string) => Validation;

/** The date rule of `campaign`'s forms (the years around its period and deadline). */
function dateRuleOf(campaign: Campaign): DateRule {
  const firstYear = Number(campaign.period.start.slice(0, 4)) - 1;
  const lastYear = Number(campaign.deadline.slice(0, 4)) + 1;
  return (label) => ({
    type: 'date',
    operator: 'between',
    formulae: [dateOf(`${firstYear}-01-01`), dateOf(`${lastYear}-12-31`)],
    promptTitle: label,
    prompt: '填写日期，如 2024-11-10 或 2024年11月10日',
    errorTitle: '日期不对',
    error: `请填写 ${firstYear}—${lastYear} 年间的日期，如 2024-11-10`,
  });
}

/**
 * The fill-in workbook of one department: 基本信息, 统计表, 重点任务, 典型案例, 工作总结,
 * 图片视频资料, and the very hidden marker sheet. Pure (no I/O). The sheets are built in
 * this order, each whole before the next (exceljs numbers styles in the order first used).
 */
function buildFillIn(campaign: Campaign, department: Department): ExcelJS.Workbook {
  const wb = campaignWorkbook(campaign, `${campaign.title} · ${department.name}`);
  const dateRule = dateRuleOf(campaign);
  addBasicSheet(wb, campaign, department, dateRule);
  addStatisticsSheet(wb, campaign, department);
  addTasksSheet(wb, campaign, department);
  addCasesSheet(wb, campaign, dateRule);
  addSummarySheet(wb, campaign);
  addMaterialsSheet(wb, campaign);
  addMarkerSheet(wb, campaign, department);
  return wb;
}

/** The input prompt of each 基本信息 field a clerk types (the unit and the date have their own). */
const BASIC_HINTS: Record<string, string> = {
  filled_by: '填表人姓名，例：张伟',
  reviewed_by: '审核人姓名（可不填），例：李明',
  phone: '手机号或带区号的座机，例：0559-8512345',
  leader: '单位负责人姓名（可不填），例：王强；填了的印在本单位统计表下“单位负责人：”之后',
  summary_file: '总结用 Word 写的，填文件名（放在本工作簿旁），例：区林业局总结.docx；在“工作总结”表中写了的，此处不填',
};

/** 基本信息: the title, the deadline, one row per basic field, and the rules of filling in. */
function addBasicSheet(wb: ExcelJS.Workbook, campaign: Campaign, department: Department, dateRule: DateRule): void {
  const deadline = formatBeijing(campaign.deadline);
  const basic = wb.addWorksheet(SHEETS.basic, { views: [{ showGridLines: false }] });
  basic.columns = [{ width: 16 }, { width: 44 }];
  title(basic, `${campaign.title}\n报送表`, 2);
  basic.getRow(1).height = 54;
  note(basic, 2, `报送截止：${deadline}（北京时间）　汇总单位：${campaign.issuer}`, 2, 48);
  BASIC_FIELDS.forEach((field, i) => {
    const r = 3 + i;
    put(basic.getCell(r, 1), field.label, HEADER_FONT, CENTRE, BOX);
    basic.getRow(r).height = 26;
    const cell = basic.getCell(r, 2);
    if (field.key === 'department') {
      put(cell, department.name, BODY_FONT, LEFT, BOX); // locked: the unit this form belongs to
      return;
    }
    fillCell(cell, LEFT, field.key === 'submitted_at' ? 'yyyy"年"m"月"d"日"' : '@');
    const ref = `B${r}`;
    if (field.key === 'submitted_at') validate(basic, ref, dateRule(field.label));
    else prompt(basic, ref, field.label, BASIC_HINTS[field.key]!);
  });
  note(basic, 3 + BASIC_FIELDS.length + 1, basicRules(campaign, deadline).join('\n'), 2, 48);
  print(basic, 'portrait');
}

/** The 填写须知 lines under the basic fields, ending with where and by when to send the form. */
function basicRules(campaign: Campaign, deadline: string): string[] {
  const lead = leadContact(campaign);
  return [
    '填写须知：',
    '1. 只在淡黄色的格子里填写，其余文字已锁定（如需调整格式，可在“审阅”中撤销工作表保护，无需密码）。',
    '2. 统计表：数字只写阿拉伯数字，不写单位、不加千分位逗号；次数、件数为整数，金额（万元）最多 4 位小数。',
    '3. 确实为零填 0；没有数据或尚未统计的请留空——留空表示“未报送”，汇总时不会被当作 0。',
    '4. 请不要修改工作表的名称，不要删除工作表。',
    `5. 总结可写在“工作总结”表中，也可用 Word 写好，把文件名填在上面的“总结文件”格中。`,
    `6. 填好后保存为 .xlsx，连同 Word 总结和图片视频资料，于${deadline}前报上级主管部门，并抄送${campaign.issuer}${lead ? `（联系人：${lead.name}，电话：${lead.phone}）` : ''}。`,
  ];
}

/** 统计表: the statistics table's two-row header over the department's one row. */
function addStatisticsSheet(wb: ExcelJS.Workbook, campaign: Campaign, department: Department): void {
  const groups = groupIndicators(campaign.indicators);
  const indicators = groups.flatMap((g) => g.indicators);
  const stats = wb.addWorksheet(SHEETS.statistics, { views: [{ state: 'frozen', xSplit: 1, ySplit: 4, topLeftCell: 'B5', activeCell: 'B5' }] });
  const lastCol = 1 + indicators.length;
  stats.columns = [{ width: Math.max(14, department.name.length * 2.3 + 3) }, ...indicators.map(() => ({ width: 11 }))];
  title(stats, campaign.table_title, lastCol);
  note(stats, 2, '每格只填数字；留空表示“未报送”，确实为零填 0。选中格子可看到该项的单位和要求。', lastCol, lastCol * 10);
  statisticsHeader(stats, groups, lastCol);
  put(stats.getCell(5, 1), department.name, BODY_FONT, CENTRE, BOX);
  stats.getRow(5).height = 30;
  indicators.forEach((ind, i) => statisticsCell(stats, 2 + i, ind));
  print(stats, 'landscape', '1:4');
}

type IndicatorGroup = ReturnType<typeof groupIndicators>[number];
type Indicator = IndicatorGroup['indicators'][number];

/** Rows 3–4 of 统计表: 单位 over both rows, each group merged over its indicators' label and unit. */
function statisticsHeader(stats: ExcelJS.Worksheet, groups: IndicatorGroup[], lastCol: number): void {
  put(stats.getCell(3, 1), '单位', HEADER_FONT, CENTRE, BOX);
  stats.mergeCells(3, 1, 4, 1);
  let col = 2;
  let headerLines = 2;
  for (const g of groups) {
    const last = col + g.indicators.length - 1;
    put(stats.getCell(3, col), g.group, HEADER_FONT, CENTRE, BOX);
    if (last > col) stats.mergeCells(3, col, 3, last);
    for (const ind of g.indicators) {
      const text = `${ind.label}\n（${ind.unit}）`;
      put(stats.getCell(4, col), text, HEADER_FONT, CENTRE, BOX);
      headerLines = Math.max(headerLines, estimateLines(text, 10, 11));
      col++;
    }
  }
  for (let c = 1; c <= lastCol; c++) stats.getCell(3, c).style = { ...stats.getCell(3, c).style, border: BOX };
  stats.getRow(3).height = 28;
  stats.getRow(4).height = headerLines * lineHeight(11) + 10;
}

/** The department's cell for one indicator in row 5: a whole or decimal number, never negative. */
function statisticsCell(stats: ExcelJS.Worksheet, c: number, ind: Indicator): void {
  fillCell(stats.getCell(5, c), CENTRE, ind.kind === 'count' ? '0' : '0.00##');
  const whole = ind.kind === 'count';
  validate(stats, `${columnLetter(c)}5`, {
    type: whole ? 'whole' : 'decimal',
    operator: 'greaterThanOrEqual',
    formulae: [0],
    promptTitle: `${ind.label}（${ind.unit}）`.slice(0, 32),
    prompt: [whole ? '填整数' : '填数字，最多 4 位小数', ind.hint?.replace(/[。；;.]$/, ''), '留空表示未报送，为零填 0'].filter(Boolean).join('；').slice(0, 255),
    errorTitle: '请填数字',
    error: whole ? `“${ind.label}”以“${ind.unit}”计，请填 0 或正整数，不写单位` : `“${ind.label}”以“${ind.unit}”计，请填 0 或正数，不写单位`,
  });
}

/** 重点任务: one row per task of the department, 落实情况 to fill. */
function addTasksSheet(wb: ExcelJS.Workbook, campaign: Campaign, department: Department): void {
  const tasks = wb.addWorksheet(SHEETS.tasks, { views: [{ state: 'frozen', ySplit: 3, topLeftCell: 'A4', activeCell: 'E4' }] });
  const taskCols = [
    { header: TASK_HEADERS.no, width: 6 },
    { header: TASK_HEADERS.category, width: 8 },
    { header: TASK_HEADERS.title, width: 30 },
    { header: TASK_HEADERS.whose, width: 10 },
    { header: TASK_HEADERS.text, width: 60 },
  ];
  tasks.columns = taskCols.map((c) => ({ width: c.width }));
  title(tasks, `${campaign.title}重点任务落实情况`, taskCols.length);
  note(tasks, 2, '在“落实情况”一栏写清做了什么、取得什么成效；本单位负责的任务都要填写，各有关单位共同负责的任务有则填写。', taskCols.length, 110);
  taskCols.forEach((c, i) => put(tasks.getCell(3, i + 1), c.header, HEADER_FONT, CENTRE, BOX));
  tasks.getRow(3).height = 24;
  const list = tasksFor(campaign, department);
  list.forEach(({ task, mine }, i) => {
    const r = 4 + i;
    put(tasks.getCell(r, 1), task.no, BODY_FONT, CENTRE, BOX);
    put(tasks.getCell(r, 2), task.category, BODY_FONT, CENTRE, BOX);
    put(tasks.getCell(r, 3), task.title, BODY_FONT, LEFT, BOX);
    put(tasks.getCell(r, 4), mine ? '本单位负责' : '各有关单位', BODY_FONT, CENTRE, BOX);
    fillCell(tasks.getCell(r, 5), TOP_LEFT, '@');
    tasks.getRow(r).height = fitHeight([{ text: task.title, width: 30 }], 12, 48);
  });
  if (list.length) prompt(tasks, `E4:E${3 + list.length}`, '落实情况', '写清做了什么、取得什么成效，例：组织专项检查 3 次，督促 12 家平台完成整改');
  print(tasks, 'landscape', '1:3');
}

/** The columns of 典型案例, in order. */
const CASE_COLUMNS = [
  { header: '序号', width: 6 },
  { header: CASE_HEADERS.title, width: 24 },
  { header: CASE_HEADERS.task, width: 9 },
  { header: CASE_HEADERS.date, width: 14 },
  { header: CASE_HEADERS.summary, width: 44 },
  { header: CASE_HEADERS.result, width: 26 },
  { header: CASE_HEADERS.fine, width: 13 },
  { header: CASE_HEADERS.exposed, width: 9 },
  { header: CASE_HEADERS.legal_basis, width: 26 },
  { header: CASE_HEADERS.significance, width: 26 },
];
/** The first row of cases, under the title, the note and the header. */
const FIRST_CASE_ROW = 4;

/** 典型案例: CASE_ROOM shaded rows to fill, unlocked rows below, and a rule or prompt per column. */
function addCasesSheet(wb: ExcelJS.Workbook, campaign: Campaign, dateRule: DateRule): void {
  const cases = wb.addWorksheet(SHEETS.cases, { views: [{ state: 'frozen', ySplit: 3, topLeftCell: 'A4', activeCell: 'B4' }] });
  cases.columns = CASE_COLUMNS.map((c) => ({ width: c.width }));
  title(cases, `${campaign.title}典型案例`, CASE_COLUMNS.length);
  note(cases, 2, `每行一个案例，可填写 ${CASE_ROOM} 个，不够可在下方继续填写；任务序号、是否曝光从下拉列表中选择。没有典型案例可不填。`, CASE_COLUMNS.length, 130);
  CASE_COLUMNS.forEach((c, i) => put(cases.getCell(3, i + 1), c.header, HEADER_FONT, CENTRE, BOX));
  cases.getRow(3).height = 30;
  caseRows(cases);
  caseRules(cases, campaign, dateRule);
  print(cases, 'landscape', '1:3');
}

/** The case rows' cells: numbered and shaded in the room, plain but unlocked below to CASE_RANGE. */
function caseRows(cases: ExcelJS.Worksheet): void {
  const first = FIRST_CASE_ROW;
  const lastRoom = first + CASE_ROOM - 1;
  const lastRange = first + CASE_RANGE - 1;
  // One shared style per column (exceljs then finds each look once): shaded in the room, plain but unlocked below.
  const caseLooks = CASE_COLUMNS.map((_, i) => {
    const c = i + 1;
    const alignment = c === 2 || c === 5 || c === 6 || c >= 9 ? TOP_LEFT : CENTRE;
    const numFmt = c === 4 ? 'yyyy"年"m"月"d"日"' : c === 7 ? '0.00##' : c === 3 ? '0' : '@';
    const below: Partial<ExcelJS.Style> = { font: BODY_FONT, alignment, protection: UNLOCKED, numFmt };
    return { room: Object.freeze({ ...below, border: BOX, fill: FILL }), below: Object.freeze(below) };
  });
  for (let r = first; r <= lastRange; r++) {
    const room = r <= lastRoom;
    if (room) put(cases.getCell(r, 1), r - first + 1, BODY_FONT, CENTRE, BOX);
    for (let c = 2; c <= CASE_COLUMNS.length; c++) cases.getCell(r, c).style = (room ? caseLooks[c - 1]!.room : caseLooks[c - 1]!.below) as Partial<ExcelJS.Style>;
    if (room) cases.getRow(r).height = 48;
  }
}

/** The validation or input prompt of each case column, over all CASE_RANGE rows. */
function caseRules(cases: ExcelJS.Worksheet, campaign: Campaign, dateRule: DateRule): void {
  // The task numbers come from the marker sheet: an inline list is limited to 255 characters.
  const numbers = campaign.tasks.map((t) => t.no);
  const rows = (c: number) => `${columnLetter(c)}${FIRST_CASE_ROW}:${columnLetter(c)}${FIRST_CASE_ROW + CASE_RANGE - 1}`;
  prompt(cases, rows(2), CASE_HEADERS.title, '例：某某公司网络销售不合格充电器案');
  validate(cases, rows(3), {
    type: 'list',
    formulae: [`'${MARKER_SHEET}'!$C$1:$C$${numbers.length}`],
    promptTitle: CASE_HEADERS.task,
    prompt: `方案中的任务序号（1—${Math.max(...numbers)}），从下拉列表中选择`,
    errorTitle: '任务序号不对',
    error: `请从下拉列表中选择方案中的任务序号（1—${Math.max(...numbers)}）`,
  });
  validate(cases, rows(4), { ...dateRule(CASE_HEADERS.date), prompt: '立案或查处日期，如 2024-09-12' });
  prompt(cases, rows(5), CASE_HEADERS.summary, '经查，当事人……');
  prompt(cases, rows(6), CASE_HEADERS.result, '可不填，例：罚款 2 万元');
  validate(cases, rows(7), {
    type: 'decimal',
    operator: 'greaterThanOrEqual',
    formulae: [0],
    promptTitle: CASE_HEADERS.fine,
    prompt: '以万元计，最多 4 位小数；可不填',
    errorTitle: '请填数字',
    error: '罚没款以万元计，请填 0 或正数，不写单位',
  });
  validate(cases, rows(8), {
    type: 'list',
    formulae: ['"是,否"'],
    promptTitle: CASE_HEADERS.exposed,
    prompt: '是否已公开曝光：选“是”或“否”',
    errorTitle: '请选择',
    error: '请从下拉列表中选择“是”或“否”',
  });
  prompt(cases, rows(9), CASE_HEADERS.legal_basis, '可不填，例：违反《中华人民共和国产品质量法》第三十九条，依据第五十条');
  prompt(cases, rows(10), CASE_HEADERS.significance, '可不填：本案的警示、示范作用，例：对网售不合格产品形成有力震慑');
}

/** 工作总结: one large wrapped cell. */
function addSummarySheet(wb: ExcelJS.Workbook, campaign: Campaign): void {
  const summary = wb.addWorksheet(SHEETS.summary, { views: [{ showGridLines: false }] });
  summary.columns = [{ width: 110 }];
  title(summary, `${campaign.title}工作总结`, 1);
  put(summary.getCell(2, 1), `${SUMMARY_LABEL}（经验做法、存在问题、下一步打算），写在下面的格子里，可分段：`, LINE_FONT, LEFT);
  summary.getRow(2).height = 24;
  fillCell(summary.getCell(3, 1), TOP_LEFT, '@');
  summary.getRow(3).height = 409;
  prompt(summary, 'A3', SUMMARY_LABEL, '可直接粘贴 Word 中的文字；段落之间按 Alt+Enter 换行');
  print(summary, 'portrait');
}

/** 图片视频资料: MATERIAL_ROOM numbered rows of file name and caption. */
function addMaterialsSheet(wb: ExcelJS.Workbook, campaign: Campaign): void {
  const materials = wb.addWorksheet(SHEETS.materials);
  materials.columns = [{ width: 6 }, { width: 50 }, { width: 30 }];
  title(materials, `${campaign.title}图片视频资料`, 3);
  note(materials, 2, '图片、视频文件与本工作簿一起报送，放在本工作簿旁的文件夹中（如“材料”）；每行填写一个文件名，写相对于本工作簿所在文件夹的路径，如：材料/检查现场1.jpg。', 3, 86);
  ['序号', MATERIAL_HEADER, MATERIAL_CAPTION_HEADER].forEach((h, i) => put(materials.getCell(3, i + 1), h, HEADER_FONT, CENTRE, BOX));
  for (let i = 0; i < MATERIAL_ROOM; i++) {
    const r = 4 + i;
    put(materials.getCell(r, 1), i + 1, BODY_FONT, CENTRE, BOX);
    fillCell(materials.getCell(r, 2), LEFT, '@');
    fillCell(materials.getCell(r, 3), LEFT, '@');
  }
  prompt(materials, `B4:B${3 + MATERIAL_ROOM}`, MATERIAL_HEADER, '例：材料/检查现场1.jpg');
  prompt(materials, `C4:C${3 + MATERIAL_ROOM}`, '说明', '时间、地点、事由，例：2024年8月20日，执法人员在某电动车行检查网售充电器；列入报送材料中的图片说明');
  print(materials, 'portrait', '1:3');
}

/** The very hidden marker sheet: the marker, the campaign and department, and the task numbers the drop-down lists. */
function addMarkerSheet(wb: ExcelJS.Workbook, campaign: Campaign, department: Department): void {
  const marker = wb.addWorksheet(MARKER_SHEET, { state: 'veryHidden' });
  marker.getCell('A1').value = MARKER;
  marker.getCell('B1').value = LAYOUT_VERSION;
  marker.getCell('A2').value = campaign.id;
  marker.getCell('A3').value = department.id;
  campaign.tasks.map((t) => t.no).forEach((no, i) => (marker.getCell(i + 1, 3).value = no));
}

/**
 * Writes the fill-in workbook of `department` to `path`, whole or not at all, never over an
 * existing file (throws EEXIST then). The same campaign gives the same bytes.
 */
export async function writeFillIn(path: string, campaign: Campaign, department: Department): Promise<void> {
  const wb = buildFillIn(campaign, department);
  await protectFillIn(wb);
  await publishFile(path, await workbookBytes(wb, templateDate(campaign)));
}

/** Protects every visible sheet without a password (async in exceljs; no password costs < 1 ms). */
async function protectFillIn(wb: ExcelJS.Workbook): Promise<void> {
  for (const ws of wb.worksheets) if (ws.state === 'visible') await ws.protect('', PROTECTION);
}
