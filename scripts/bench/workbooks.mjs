/**
 * The generated submissions as fill-in workbooks (issue 10's scale): the blanks come from the
 * CLI itself (`report init --all --format xlsx`), and each is filled with its unit's YAML
 * submission — figures, 34 task texts, 50 cases, the summary, two materials — by putting the
 * values into the cells of the sheets' XML, as a spreadsheet program would store them.
 * The materials folder is copied beside them, so the workbooks check as the YAML files do.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { parse } from 'yaml';

const escapeXml = (s) => s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));

/** Puts `value` into the styled empty cell `ref` of a sheet's XML. */
function put(xml, ref, value) {
  if (value === undefined || value === null || value === '') return xml;
  const empty = new RegExp(`<c r="${ref}" s="(\\d+)"/>`);
  const m = empty.exec(xml);
  if (!m) throw new Error(`no empty cell ${ref}`);
  const cell =
    typeof value === 'number'
      ? `<c r="${ref}" s="${m[1]}"><v>${value}</v></c>`
      : `<c r="${ref}" s="${m[1]}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(String(value))}</t></is></c>`;
  return xml.slice(0, m.index) + cell + xml.slice(m.index + m[0].length);
}

const letter = (col) => String.fromCharCode(64 + col);

/**
 * Writes one filled workbook per generated submission into `outDir` (and its 材料 folder).
 * Returns the file names. `bin` is the CLI, `data` what generateDataset returned.
 */
export async function generateWorkbooks({ bin, data, outDir }) {
  const blanks = join(outDir, '.blanks');
  execFileSync(process.execPath, [bin, 'init', '--all', '--format', 'xlsx', '--campaign', data.campaignFile, '--out', blanks], { stdio: 'ignore' });
  const campaign = parse(readFileSync(data.campaignFile, 'utf8'));
  // The 统计表's columns: indicators grouped by their group, groups in order of first appearance.
  const groups = new Map();
  for (const i of campaign.indicators) groups.set(i.group, [...(groups.get(i.group) ?? []), i.id]);
  const columnOf = new Map([...groups.values()].flat().map((id, i) => [id, letter(2 + i)]));
  const files = [];
  for (const yamlName of data.files) {
    const sub = parse(readFileSync(join(data.dir, yamlName), 'utf8'));
    const name = yamlName.replace(/\.yaml$/, '.xlsx');
    const zip = await JSZip.loadAsync(readFileSync(join(blanks, name)));
    const edit = async (sheet, fn) => zip.file(`xl/worksheets/${sheet}.xml`, fn(await zip.file(`xl/worksheets/${sheet}.xml`).async('string')));
    await edit('sheet1', (x) => put(put(put(put(x, 'B4', sub.filled_by), 'B5', sub.reviewed_by), 'B6', String(sub.phone)), 'B7', String(sub.submitted_at)));
    await edit('sheet2', (x) => Object.entries(sub.statistics).reduce((acc, [id, v]) => put(acc, `${columnOf.get(id)}5`, v), x));
    await edit('sheet3', (x) => {
      for (const m of [...x.matchAll(/<c r="A(\d+)" s="\d+"><v>(\d+)<\/v><\/c>/g)]) x = put(x, `E${m[1]}`, sub.tasks?.[m[2]]);
      return x;
    });
    await edit('sheet4', (x) => {
      (sub.cases ?? []).forEach((c, i) => {
        const r = 4 + i;
        for (const [col, v] of [['B', c.title], ['C', c.task], ['D', String(c.date)], ['E', c.summary], ['F', c.result], ['G', c.fine], ['H', c.exposed ? '是' : '否']]) x = put(x, `${col}${r}`, v);
      });
      return x;
    });
    await edit('sheet5', (x) => put(x, 'A3', sub.summary));
    await edit('sheet6', (x) => (sub.materials ?? []).reduce((acc, m, i) => put(acc, `B${4 + i}`, m), x));
    writeFileSync(join(outDir, name), await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } }));
    files.push(name);
  }
  mkdirSync(outDir, { recursive: true });
  cpSync(join(data.dir, '材料'), join(outDir, '材料'), { recursive: true });
  return files;
}
