/**
 * Opens merged workbooks in a real spreadsheet application. LibreOffice is told to
 * recalculate every formula on load (it otherwise trusts the cached results we wrote),
 * so the 合计 row in its CSV export is its own arithmetic, compared with ours.
 * Skipped, with a note, where `soffice` is not installed (a failure under CI=true).
 */
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTemplate, templateDate } from '../src/template/default.js';
import { workbookBytes, writeMergedWorkbook } from '../src/template/write.js';
import { OFFICIAL_LIKE, makeStatus, makeSubmission, testCampaign } from './fixtures/templates/helpers.js';
import { requireTool } from './helpers/tools.js';
import { parseCsv } from './helpers/csv.js';

const TIMEOUT = 120_000;

async function readBack(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}
let dir: string;
let profile: string;

/** A LibreOffice profile of our own: no lock clashes, and "always recalculate" for xlsx. */
function makeProfile(): string {
  const root = mkdtempSync(join(tmpdir(), 'lo-profile-'));
  mkdirSync(join(root, 'user'), { recursive: true });
  writeFileSync(
    join(root, 'user', 'registrymodifications.xcu'),
    `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`,
  );
  return pathToFileURL(root).href;
}

/**
 * Converts with soffice; returns the output path. CSV is the first sheet in UTF-8, with
 * values as shown, or as stored when `raw` (the 9th filter token: "save as shown" off).
 */
function convert(file: string, to: 'csv' | 'pdf', raw = false): string {
  const filter = to === 'csv' ? `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,${raw ? 'false' : 'true'}` : 'pdf';
  execFileSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--calc', '--convert-to', filter, '--outdir', dir, file], {
    timeout: TIMEOUT,
    stdio: 'pipe',
  });
  return join(dir, basename(file).replace(/\.xlsx$/, `.${to}`));
}

const campaign = testCampaign();
/** The campaign as the official-like template has it: without 开展培训, the column it lacks on purpose. */
const officialCampaign = { ...campaign, indicators: campaign.indicators.filter((i) => i.id !== 'trainings') };
/**
 * A non-zero figure in every column of every department row that reported — the first and
 * the last row of both templates above all — so a 合计 that leaves out any row is caught;
 * 区林业局, in the middle of both, did not report.
 */
const statuses = () => [
  makeStatus(campaign, 'market', 'submitted', makeSubmission('market', { inspectors: 120, platforms_checked: 300, cases_filed: 12, cases_closed: 10, fines: 12.35, cases_transferred: 1, trainings: 3 })),
  makeStatus(campaign, 'cyberspace', 'submitted', makeSubmission('cyberspace', { inspectors: 7, platforms_checked: 11, cases_filed: 2, cases_closed: 1, fines: 0.1, cases_transferred: 1, trainings: 1 })),
  makeStatus(campaign, 'culture_tourism', 'late', makeSubmission('culture_tourism', { inspectors: 9, platforms_checked: 5, cases_filed: 4, cases_closed: 2, fines: 0.2, cases_transferred: 1, trainings: 2 })),
  makeStatus(campaign, 'police', 'submitted', makeSubmission('police', { inspectors: 30, platforms_checked: 8, cases_filed: 3, cases_closed: 3, cases_transferred: 2, fines: 3.0001, trainings: 1 })),
  makeStatus(campaign, 'forestry', 'missing'),
  makeStatus(campaign, 'commerce', 'submitted', makeSubmission('commerce', { inspectors: 15, platforms_checked: 6, cases_filed: 5, cases_closed: 4, fines: 1.5, cases_transferred: 3, trainings: 4 })),
  makeStatus(campaign, 'tax', 'submitted', makeSubmission('tax', { inspectors: 21, platforms_checked: 13, cases_filed: 6, cases_closed: 6, fines: 2.25, cases_transferred: 4, trainings: 5 })),
];

describe.skipIf(requireTool('soffice'))('LibreOffice opens the merged workbook', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'report-lo-'));
    profile = makeProfile();
  });

  it('really recalculates (a wrong cached result is corrected)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.getCell('A1').value = 1;
    ws.getCell('A2').value = 2;
    ws.getCell('A3').value = { formula: 'SUM(A1:A2)', result: 99 };
    const file = join(dir, 'probe.xlsx');
    await wb.xlsx.writeFile(file);
    expect(parseCsv(readFileSync(convert(file, 'csv'), 'utf8')).map((r) => r[0])).toEqual(['1', '2', '3']);
  }, TIMEOUT);

  it('computes the same 合计 as the merge, in the official-like template, over exactly the department rows', async () => {
    const out = join(dir, 'official.xlsx');
    const { totals } = await writeMergedWorkbook({ campaign: officialCampaign, statuses: statuses(), templatePath: OFFICIAL_LIKE, outPath: out, fillDate: '2024-11-12' });
    const rows = parseCsv(readFileSync(convert(out, 'csv', true), 'utf8'));
    const total = rows.find((r) => r[0]?.replace(/\s/g, '') === '合计');
    expect(total).toBeDefined();
    const columns: Record<string, number> = { cases_filed: 2, cases_closed: 3, fines: 4, cases_transferred: 5, platforms_checked: 6, inspectors: 7 };
    for (const [id, col] of Object.entries(columns)) expect(Number(total?.[col]), id).toBe(totals[id]);
    expect(totals).toMatchObject({ inspectors: 202, platforms_checked: 343, cases_filed: 32, cases_closed: 26, fines: 19.4001, cases_transferred: 12 });
    // The exact range: rows 6 (区税务局, first) to 12 (区商务局, last), in every column.
    const ws = (await readBack(out)).getWorksheet('统计表') as ExcelJS.Worksheet;
    for (const letter of ['C', 'D', 'E', 'F', 'G', 'H']) expect(ws.getCell(`${letter}13`).formula).toBe(`SUM(${letter}6:${letter}12)`);
    const shown = parseCsv(readFileSync(convert(out, 'csv'), 'utf8')).find((r) => r[0]?.replace(/\s/g, '') === '合计');
    expect(shown?.[4]).toBe('19.40'); // the template's own 0.00 format is kept
    expect(total?.[9]).toBe('未含：区林业局（未报送）');
    const forestry = rows.find((r) => r[1] === '区林业局');
    expect(forestry?.slice(2, 8)).toEqual(['', '', '', '', '', '']); // empty, not 0
  }, TIMEOUT);

  it('computes the same 合计 as the merge, in the default template, over exactly the department rows', async () => {
    const out = join(dir, 'default.xlsx');
    const { totals } = await writeMergedWorkbook({ campaign, statuses: statuses(), outPath: out, fillDate: '2024-11-12' });
    const rows = parseCsv(readFileSync(convert(out, 'csv'), 'utf8'));
    const total = rows.find((r) => r[0] === '合计');
    const order = ['inspectors', 'platforms_checked', 'cases_filed', 'cases_closed', 'fines', 'cases_transferred', 'trainings'];
    order.forEach((id, i) => expect(Number(total?.[2 + i]), id).toBe(totals[id]));
    expect(total?.[6]).toBe('19.4001');
    expect(totals.trainings).toBe(16);
    // Rows 5 (区市场监管局, first) to 11 (区税务局, last).
    const ws = (await readBack(out)).getWorksheet('统计表') as ExcelJS.Worksheet;
    ['C', 'D', 'E', 'F', 'G', 'H', 'I'].forEach((letter) => expect(ws.getCell(`${letter}12`).formula).toBe(`SUM(${letter}5:${letter}11)`));
  }, TIMEOUT);

  it.skipIf(requireTool('pdfinfo'))('prints the default template on one A4 landscape page', async () => {
    const file = join(dir, 'template.xlsx');
    writeFileSync(file, await workbookBytes(buildTemplate(campaign), templateDate(campaign)));
    const info = execFileSync('pdfinfo', [convert(file, 'pdf')], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(info).toMatch(/Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)/);
  }, TIMEOUT);
});
