/** A produced .docx read back as its paragraphs: style, text, and the text of highlighted runs. */
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';

export interface DocxParagraph {
  style: string;
  text: string;
  /** Text of the runs marked with w:highlight (a 【待补充】 prompt). */
  highlighted: string;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

export async function docxParagraphs(file: string, part = 'word/document.xml'): Promise<DocxParagraph[]> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  return xmlParagraphs(await zip.file(part)!.async('string'));
}

/** The paragraphs of a WordprocessingML part's text (as docxParagraphs reads them from a file). */
export function xmlParagraphs(xml: string): DocxParagraph[] {
  return [...xml.matchAll(/<w:p>([\s\S]*?)<\/w:p>/g)].map((m) => {
    const p = m[1]!;
    const runs = [...p.matchAll(/<w:r>([\s\S]*?)<\/w:r>/g)].map((r) => ({ text: [...r[1]!.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => unescape(t[1]!)).join(''), marked: r[1]!.includes('<w:highlight') }));
    return {
      style: /<w:pStyle w:val="([^"]+)"/.exec(p)?.[1] ?? '',
      text: runs.map((r) => r.text).join(''),
      highlighted: runs.filter((r) => r.marked).map((r) => r.text).join(''),
    };
  });
}
