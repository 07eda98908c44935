/**
 * The default statistics template: the plan's attachment 《table_title》 laid out as an
 * official table, used when the campaign ships no template of its own.
 */
import ExcelJS from 'exceljs';
import type { Campaign, Indicator } from '../campaign/schema.js';
import {
  BODY_FONT, BOX, CENTRE, HEADER_FONT, LEFT, LINE_FONT, TITLE_FONT,
  boxRange, estimateLines, lineHeight, look, put, setOfficialPrint,
} from './style.js';
import { chineseDate } from '../text/labels.js';

/** Name of the statistics sheet in templates this tool makes. */
export const STATISTICS_SHEET = '统计表';

const SEQ_WIDTH = 6;
// Not 9: exceljs takes width 9 for "default" and leaves it out of the file (Excel would show 8.43).
const INDICATOR_WIDTH = 10;
const NOTE_WIDTH = 18;

/** Indicators grouped by `group`, groups in order of first appearance. */
export function groupIndicators(indicators: readonly Indicator[]): { group: string; indicators: Indicator[] }[] {
  const groups = new Map<string, Indicator[]>();
  for (const ind of indicators) groups.set(ind.group, [...(groups.get(ind.group) ?? []), ind]);
  return [...groups].map(([group, list]) => ({ group, indicators: list }));
}

/** A new workbook of the campaign's: its issuer as author, its fixed date, `title`. */
export function campaignWorkbook(campaign: Campaign, title: string): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const date = templateDate(campaign);
  wb.creator = campaign.issuer;
  wb.lastModifiedBy = campaign.issuer;
  wb.created = date;
  wb.modified = date;
  wb.title = title;
  return wb;
}

/** The fixed date stamped into a template's properties, so the same campaign gives the same bytes. */
export function templateDate(campaign: Campaign): Date {
  return new Date(`${campaign.period.start}T00:00:00+08:00`);
}

/**
 * Builds the default template of 《campaign.table_title》 on one sheet named 统计表:
 * title, a 填报单位/统计时段/填报日期 line, two header rows (序号, 单位, indicator groups
 * over `{label}\n（{unit}）`, 备注), one empty row per department, a 合计 row and a
 * 填表人/审核人/联系电话 footer; A4 landscape, one page wide, headers repeated on every page.
 */
export function buildTemplate(campaign: Campaign): ExcelJS.Workbook {
  const wb = campaignWorkbook(campaign, campaign.table_title);
  const groups = groupIndicators(campaign.indicators);
  const indicators = groups.flatMap((g) => g.indicators);
  const noteCol = 3 + indicators.length;
  const ws = statisticsSheet(wb, campaign, indicators.length);
  titleRow(ws, campaign.table_title, noteCol);
  lineRow(ws, campaign, noteCol);
  headerRows(ws, groups, noteCol);
  // One empty row per department: figures are filled by the merge, never preset to 0.
  const firstData = 5;
  campaign.departments.forEach((d, i) => departmentRow(ws, firstData + i, i + 1, d.name, indicators, noteCol));
  const totalRow = firstData + campaign.departments.length;
  totalRowOf(ws, totalRow, noteCol);
  footerRow(ws, totalRow + 1, noteCol);
  setOfficialPrint(ws, '1:4');
  return wb;
}

/** The 统计表 sheet, frozen at C5, with its columns: 序号, 单位 (as wide as the longest name), the indicators, 备注. */
function statisticsSheet(wb: ExcelJS.Workbook, campaign: Campaign, indicatorCount: number): ExcelJS.Worksheet {
  const nameWidth = Math.max(14, Math.ceil(Math.max(...campaign.departments.map((d) => d.name.length)) * 2.3) + 3);
  const ws = wb.addWorksheet(STATISTICS_SHEET, {
    views: [{ state: 'frozen', xSplit: 2, ySplit: 4, topLeftCell: 'C5', activeCell: 'C5' }],
  });
  ws.columns = [
    { width: SEQ_WIDTH },
    { width: nameWidth },
    ...Array.from({ length: indicatorCount }, () => ({ width: INDICATOR_WIDTH })),
    { width: NOTE_WIDTH },
  ];
  return ws;
}

/** Row 1: the title across the whole table. */
function titleRow(ws: ExcelJS.Worksheet, title: string, lastCol: number): void {
  put(ws.getCell(1, 1), title, TITLE_FONT, { horizontal: 'center', vertical: 'middle' });
  ws.mergeCells(1, 1, 1, lastCol);
  ws.getRow(1).height = 42;
}

/** Row 2: 填报单位 on the left, 统计时段 in the middle, 填报日期 on the right. */
function lineRow(ws: ExcelJS.Worksheet, campaign: Campaign, lastCol: number): void {
  const third = Math.max(1, Math.floor((lastCol - 2) / 3));
  const leftEnd = 2 + third;
  const rightStart = Math.max(leftEnd + 2, lastCol - third + 1);
  const period = `统计时段：${chineseDate(campaign.period.start)}至${chineseDate(campaign.period.end)}`;
  put(ws.getCell(2, 1), '填报单位（盖章）：', LINE_FONT, { horizontal: 'left', vertical: 'middle' });
  ws.mergeCells(2, 1, 2, leftEnd);
  put(ws.getCell(2, leftEnd + 1), period, LINE_FONT, { horizontal: 'center', vertical: 'middle' });
  ws.mergeCells(2, leftEnd + 1, 2, rightStart - 1);
  put(ws.getCell(2, rightStart), '填报日期：', LINE_FONT, { horizontal: 'left', vertical: 'middle' });
  ws.mergeCells(2, rightStart, 2, lastCol);
  ws.getRow(2).height = 26;
}

/** Rows 3–4: 序号, 单位 and 备注 span both header rows; each group spans its indicators. */
function headerRows(ws: ExcelJS.Worksheet, groups: ReturnType<typeof groupIndicators>, noteCol: number): void {
  for (const [col, text] of [[1, '序号'], [2, '单位'], [noteCol, '备注']] as const) {
    put(ws.getCell(3, col), text, HEADER_FONT, CENTRE);
    ws.mergeCells(3, col, 4, col);
  }
  let col = 3;
  let headerLines = 2;
  let groupLines = 1;
  for (const g of groups) {
    const last = col + g.indicators.length - 1;
    put(ws.getCell(3, col), g.group, HEADER_FONT, CENTRE);
    if (last > col) ws.mergeCells(3, col, 3, last);
    groupLines = Math.max(groupLines, estimateLines(g.group, g.indicators.length * INDICATOR_WIDTH - 1, 11));
    for (const ind of g.indicators) {
      const text = `${ind.label}\n（${ind.unit}）`;
      put(ws.getCell(4, col), text, HEADER_FONT, CENTRE);
      headerLines = Math.max(headerLines, estimateLines(text, INDICATOR_WIDTH - 1, 11));
      col++;
    }
  }
  ws.getRow(3).height = Math.max(24, groupLines * lineHeight(11) + 8);
  ws.getRow(4).height = headerLines * lineHeight(11) + 10;
  boxRange(ws, 3, 1, 4, noteCol);
}

/** A department's empty row `r`: boxed cells (counts formatted as whole numbers), its 序号 and name. */
function departmentRow(ws: ExcelJS.Worksheet, r: number, seq: number, name: string, indicators: readonly Indicator[], noteCol: number): void {
  const row = ws.getRow(r);
  row.height = 24;
  for (let c = 1; c <= noteCol; c++) {
    const count = indicators[c - 3]?.kind === 'count';
    row.getCell(c).style = look(BODY_FONT, c === noteCol ? LEFT : CENTRE, BOX, count ? '0' : undefined);
  }
  row.getCell(1).value = seq;
  row.getCell(2).value = name;
}

/** 合计: 序号 and 单位 merged, bold figures. */
function totalRowOf(ws: ExcelJS.Worksheet, totalRow: number, noteCol: number): void {
  ws.mergeCells(totalRow, 1, totalRow, 2);
  for (let c = 1; c <= noteCol; c++) {
    ws.getCell(totalRow, c).style = look({ ...BODY_FONT, bold: true }, c === noteCol ? LEFT : CENTRE, BOX);
  }
  put(ws.getCell(totalRow, 1), '合计', { ...HEADER_FONT, size: 12 }, CENTRE, BOX);
  ws.getRow(totalRow).height = 26;
}

/** Footer below the table, without borders. */
function footerRow(ws: ExcelJS.Worksheet, footer: number, lastCol: number): void {
  put(ws.getCell(footer, 1), '单位负责人：　　　　　　　　填表人：　　　　　　　　审核人：　　　　　　　　联系电话：', LINE_FONT, {
    horizontal: 'left',
    vertical: 'bottom',
  });
  ws.mergeCells(footer, 1, footer, lastCol);
  ws.getRow(footer).height = 30;
}
