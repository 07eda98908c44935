/**
 * Workbooks among the submission files: which names are read as workbooks, how large one may
 * be, and their check (the workbook source, then the same schema and rules as YAML). The
 * source is imported only when a workbook is checked, so YAML-only runs never load it.
 */
import { basename } from 'node:path';
import type { Campaign } from '../campaign/schema.js';
import type { SecondFile } from '../source/workbook.js';
import type { TextCheck } from './result.js';
import { makeDiagnostic, type Diagnostic } from '../diagnostics.js';
import { containerKind } from '../xlsx/cells.js';

/** xlsx, and the legacy .xls / WPS .et and LibreOffice's .ods, so that those get their message instead of being passed over. */
export const isWorkbookFile = (name: string): boolean => /\.(xlsx|xlsm|xls|et|ods)$/i.test(name);

/**
 * Largest workbook read. A fill-in workbook with 50 cases is under 100 KiB; only pictures
 * embedded in cells make one large, and those are sent as files beside it.
 */
export const MAX_WORKBOOK_BYTES = 20 * 1024 * 1024;

/**
 * The key a workbook's check is kept under: its bytes and its name, because a copy of the
 * statistics table with no row filled is attributed by the file's name.
 */
export const workbookKey = (sha256: string, path: string): string => `${sha256}/${basename(path)}`;

/**
 * What a file named .yaml that is no text really is, said with what to do: an Excel workbook
 * renamed, a Word document, an ODS spreadsheet, an old Office file. Undefined for other binaries.
 */
export function binaryNamedYaml(bytes: Uint8Array): Diagnostic | undefined {
  const kind = containerKind(bytes);
  if (kind === 'xlsx') return makeDiagnostic('error', 'file/workbook-named-yaml');
  if (kind === 'ods') return makeDiagnostic('error', 'workbook/ods');
  if (kind === 'docx') return makeDiagnostic('error', 'file/word-document');
  if (kind === 'legacy' || kind === 'encrypted') return makeDiagnostic('error', 'file/office-legacy');
  return undefined;
}

/** Check a workbook's bytes (and a merged table's second workbook beside it). Pure but for the lazy imports. */
export async function checkWorkbook(bytes: Uint8Array, path: string, campaign: Campaign, second?: SecondFile): Promise<TextCheck> {
  const [{ readWorkbookSource }, { checkSource }] = await Promise.all([import('../source/workbook.js'), import('./check.js')]);
  return checkSource(readWorkbookSource(bytes, campaign, path, second), campaign);
}
