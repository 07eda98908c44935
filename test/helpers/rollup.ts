/** What the roll-up tests share: the city example's paths, and a template whose structure is locked. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { tempDir } from './exec.js';
import { REPO } from './paths.js';

/** data/examples/city-rollup: a city's campaign and its three districts' merged tables. */
export const CITY_EXAMPLE = join(REPO, 'data', 'examples', 'city-rollup');
export const CITY_CAMPAIGN = join(CITY_EXAMPLE, 'campaign.yaml');
export const CITY_SUBMISSIONS = join(CITY_EXAMPLE, 'submissions');
export const CITY_AS_OF = '2024-11-18T09:00';

/** A workbook read back with exceljs. */
export async function readXlsx(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

/**
 * A template with its workbook structure locked (no sheet can be added), as an issuing office
 * might send it: merge then writes its added sheets into a （附表） beside the table. `bytes` is
 * the template to lock (the bundled default when not given); the file is written to `dir`.
 */
export async function lockTemplate(bytes?: Uint8Array, dir = tempDir('rollup-template-')): Promise<string> {
  const zip = await JSZip.loadAsync(bytes ?? readFileSync(join(REPO, 'templates', 'hsq_2024_wlsc.xlsx')));
  const book = await zip.file('xl/workbook.xml')!.async('string');
  zip.file('xl/workbook.xml', book.replace('<sheets>', '<workbookProtection lockStructure="1"/><sheets>'));
  const file = join(dir, '上级模板.xlsx');
  writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return file;
}
