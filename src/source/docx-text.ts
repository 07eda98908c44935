/**
 * A Word document's text (.docx): one line a paragraph, as a department's 总结 written in Word
 * is read for the 总结 draft. Tabs and line breaks inside a paragraph are kept as such; tables'
 * cells are read as their paragraphs. Unzipped and read with the workbook reader's bounded unzip
 * and XML tokenizer (reading only). Throws WorkbookError when the file is no Word package.
 */
import { parseXml, unzip, WorkbookError, type Element } from '../xlsx/cells.js';

/** True when a path names a Word document by its extension. */
export const isDocx = (path: string) => /\.docx$/i.test(path);

export function docxText(bytes: Buffer): string {
  const part = unzip(bytes).get('word/document.xml');
  if (!part) throw new WorkbookError('workbook/damaged');
  const lines: string[] = [];
  const walk = (e: Element): void => {
    if (e.name !== 'p') return e.children.forEach(walk);
    let line = '';
    const inline = (x: Element): void => {
      if (x.name === 't') line += x.text;
      else if (x.name === 'tab') line += '\t';
      else if (x.name === 'br' || x.name === 'cr') line += '\n';
      else if (x.name !== 'p' && x.name !== 'instrText' && x.name !== 'delText') x.children.forEach(inline);
    };
    e.children.forEach(inline);
    lines.push(line);
  };
  walk(parseXml(part().toString('utf8')));
  return lines.join('\n');
}
