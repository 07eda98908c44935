/**
 * Word documents laid out as 公文 (GB/T 9704-2012), written as WordprocessingML directly.
 *
 * Why not the `docx` package: at a province's scale (50,000 cases, 34,000 task reports) a
 * document has some 300,000 paragraphs, and `docx` 9.15.2 took 5.2 s and 390 MB for
 * 50,000 (measured). Here every paragraph names a style and carries only its text, so the
 * same document is a string joined in well under a second.
 *
 * The page: A4; margins 37/35/28/26 mm (top/bottom/left/right), a 156 × 225 mm text block;
 * body 仿宋_GB2312 三号 (16 pt) at −0.25 pt character spacing on a line grid of 579 twips,
 * which LibreOffice lays out as 28 characters × 22 lines (Word computes the same widths);
 * page numbers 宋体 四号 "— 1 —", odd pages right and even pages left, one character in.
 */
import { escapeXml } from '../text/xml-text.js';
import { zipPackage } from '../xlsx/zip.js';

/** One paragraph of a 公文, by its role on the page. */
export type Block =
  /** A remark on the first line (e.g. that the text is a draft). */
  | { kind: 'note'; text: string }
  /** The title: 方正小标宋简体 二号, centred, lines 36 pt apart (off the grid, as clerks set it); each line as given. */
  | { kind: 'title'; lines: string[] }
  /** A centred line in 楷体 under the title (compiler, date). */
  | { kind: 'subtitle'; text: string }
  /** Headings: 一、 in 黑体, （一） in 楷体_GB2312, 1. in 仿宋 bold; indented like the body. */
  | { kind: 'h1' | 'h2' | 'h3'; text: string }
  /** Body text, first line indented two characters; `lead` is set in 黑体 before it; `keep`: kept on the page of the next paragraph. */
  | { kind: 'body'; text: string; lead?: string; keep?: boolean }
  | { kind: 'blank' }
  /** 附件说明: 附件：1.…, further items aligned under the first. */
  | { kind: 'attachments'; items: string[] }
  /**
   * 落款. Without a seal (GB/T 9704 7.3.5.2): the issuer two characters from the right, the date under it,
   * two characters further right. With `seal` (7.3.5.1): the date four characters from the right, the
   * issuer centred over it, room above for the seal.
   */
  | { kind: 'signature'; issuer: string; date: string; seal?: boolean }
  /** A line at the left margin, not indented: 主送机关. */
  | { kind: 'plain'; text: string }
  /** 版记's 抄送 line, between two rules, one character in from either side. */
  | { kind: 'cc'; text: string }
  /** 附件1 in 黑体 at the top left of a new page. */
  | { kind: 'attachment-head'; text: string }
  /** A picture (PNG) centred on its own line, `widthMm` wide. */
  | { kind: 'image'; png: Uint8Array; width: number; height: number; widthMm: number; alt: string }
  /** A centred line under a picture. */
  | { kind: 'caption'; text: string };

/** What core.xml says about the document. */
export interface DocumentInfo {
  title: string;
  author: string;
  /** YYYY-MM-DD: the date of the data, stamped as created and modified (and on the zip entries). */
  date: string;
}

const FANGSONG = '仿宋_GB2312';
const KAITI = '楷体_GB2312';
const HEITI = '黑体';
const XIAOBIAOSONG = '方正小标宋简体';
const SONGTI = '宋体';

/** Width of one body character in twips: 16 pt − 0.25 pt spacing. */
const CHAR = 315;
/** Twips per millimetre and EMU per millimetre. */
const TWIPS_MM = 1440 / 25.4;
const EMU_MM = 36000;

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** Text as XML character data (escapeXml), tabs and line breaks as one space. */
export function xmlText(s: string): string {
  return escapeXml(s).replace(/[\t\r\n]+/g, ' ');
}

/** Width of a text in body characters: CJK and full-width 1, ASCII ½. */
export function emWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.codePointAt(0)! < 0x2e80 ? 0.5 : 1;
  return w;
}

/** A 【待补充：…】 prompt: a passage only a person can write, highlighted where it cannot be missed. */
const PROMPT_PART = /(【待补充：[^】]*】)/;
const run = (text: string, style?: string) =>
  text
    .split(PROMPT_PART)
    .filter(Boolean)
    .map((part) => {
      const marked = PROMPT_PART.test(part);
      const rPr = style || marked ? `<w:rPr>${style ? `<w:rStyle w:val="${style}"/>` : ''}${marked ? '<w:highlight w:val="yellow"/>' : ''}</w:rPr>` : '';
      return `<w:r>${rPr}<w:t xml:space="preserve">${xmlText(part)}</w:t></w:r>`;
    })
    .join('') || `<w:r><w:t xml:space="preserve"></w:t></w:r>`;
/** A paragraph; `pPr` must follow CT_PPr's element order (ind before jc…): Word refuses a document that does not. */
const para = (style: string, inner: string, pPr = '') => `<w:p><w:pPr><w:pStyle w:val="${style}"/>${pPr}</w:pPr>${inner}</w:p>`;

/** One block as WordprocessingML; `image` is the relationship id of the block's picture. */
function blockXml(b: Block, image: () => { rid: string; id: number }): string {
  switch (b.kind) {
    case 'note':
      return para('GwNote', run(b.text));
    case 'title':
      return para('GwTitle', b.lines.map((line, i) => (i ? '<w:r><w:br/></w:r>' : '') + run(line)).join(''));
    case 'subtitle':
      return para('GwSubtitle', run(b.text));
    case 'h1':
      return para('GwH1', run(b.text));
    case 'h2':
      return para('GwH2', run(b.text));
    case 'h3':
      return para('GwH3', run(b.text));
    case 'body':
      return para('GwBody', (b.lead ? run(b.lead, 'GwLead') : '') + run(b.text), b.keep ? '<w:keepNext/>' : '');
    case 'blank':
      return para('GwPlain', '');
    case 'attachments':
      // 附件： takes three characters after the two-character indent; "1." about one more.
      return b.items
        .map((item, i) =>
          para('GwPlain', run(`${i === 0 ? '附件：' : ''}${b.items.length > 1 ? `${i + 1}.` : ''}${item}`), `<w:ind w:left="${CHAR * (b.items.length > 1 ? 6 : 5)}" w:hanging="${CHAR * ((i === 0 ? 3 : 0) + (b.items.length > 1 ? 1 : 0))}"/>`),
        )
        .join('');
    case 'plain':
      return para('GwPlain', run(b.text));
    case 'cc':
      return para('GwPlain', run(b.text), `<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="auto"/><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr><w:ind w:left="${CHAR}" w:right="${CHAR}" w:hanging="0"/>`);
    case 'signature': {
      if (b.seal) {
        // 7.3.5.1: 成文日期右空四字; 署名 centred on the date; the seal presses on both from the line above.
        const d = emWidth(b.date);
        const s = emWidth(b.issuer);
        const dateRight = 4;
        const issuerRight = Math.max(0, dateRight + (d - s) / 2);
        const at = (chars: number) => `<w:ind w:right="${Math.round(chars * CHAR)}"/><w:jc w:val="right"/>`;
        return para('GwPlain', '') + para('GwPlain', run(b.issuer), at(issuerRight)) + para('GwPlain', run(b.date), at(dateRight));
      }
      // GB/T 9704 7.3.5.2: 署名 right, two characters in; the date's first character two to the right of the 署名's.
      const s = emWidth(b.issuer);
      const d = emWidth(b.date);
      const dateRight = Math.max(2, s - d);
      const issuerRight = dateRight + d + 2 - s;
      const right = (chars: number) => `<w:ind w:right="${Math.round(chars * CHAR)}"/><w:jc w:val="right"/>`;
      return para('GwPlain', run(b.issuer), right(issuerRight)) + para('GwPlain', run(b.date), right(dateRight));
    }
    case 'attachment-head':
      return para('GwAttachmentHead', run(b.text));
    case 'image': {
      const { rid, id } = image();
      const cx = Math.round(b.widthMm * EMU_MM);
      const cy = Math.round((b.widthMm * b.height * EMU_MM) / b.width);
      const pic =
        `<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="${id}" name="${xmlText(b.alt)}"/><pic:cNvPicPr/></pic:nvPicPr>` +
        `<pic:blipFill><a:blip r:embed="${rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
        `<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>`;
      const drawing =
        `<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="${cx}" cy="${cy}"/><wp:docPr id="${id}" name="${xmlText(b.alt)}" descr="${xmlText(b.alt)}"/>` +
        `<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" noChangeAspect="1"/></wp:cNvGraphicFramePr>` +
        `<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">${pic}</a:graphicData></a:graphic></wp:inline></w:drawing>`;
      return para('GwFigure', `<w:r>${drawing}</w:r>`);
    }
    case 'caption':
      return para('GwCaption', run(b.text));
  }
}

const rFonts = (font: string) => `<w:rFonts w:ascii="${font}" w:eastAsia="${font}" w:hAnsi="${font}" w:cs="${font}"/>`;
const size = (halfPoints: number) => `<w:sz w:val="${halfPoints}"/><w:szCs w:val="${halfPoints}"/>`;

const STYLES =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="${W}">` +
  `<w:docDefaults><w:rPrDefault><w:rPr>${rFonts(FANGSONG)}<w:spacing w:val="-5"/><w:kern w:val="0"/>${size(32)}<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
  // Widow control off: LibreOffice otherwise moves a line to the next page and the page loses its 22nd line.
  // No hanging punctuation: a 29th character (，) would stand in the right margin (Word honours this; LibreOffice 7.4 hangs it anyway).
  `<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:overflowPunct w:val="0"/><w:spacing w:before="0" w:after="0"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>` +
  `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
  `<w:style w:type="paragraph" w:styleId="GwPlain"><w:name w:val="公文 无缩进"/><w:basedOn w:val="Normal"/></w:style>` +
  `<w:style w:type="paragraph" w:styleId="GwBody"><w:name w:val="公文 正文"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLine="${2 * CHAR}"/></w:pPr></w:style>` +
  `<w:style w:type="paragraph" w:styleId="GwNote"><w:name w:val="公文 说明"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="left"/></w:pPr><w:rPr>${rFonts(KAITI)}</w:rPr></w:style>` +
  `<w:style w:type="paragraph" w:styleId="GwTitle"><w:name w:val="公文 标题"/><w:basedOn w:val="Normal"/><w:next w:val="GwBody"/><w:qFormat/><w:pPr><w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:line="720" w:lineRule="exact"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr>${rFonts(XIAOBIAOSONG)}<w:spacing w:val="0"/>${size(44)}</w:rPr></w:style>` +
  `<w:style w:type="paragraph" w:styleId="GwSubtitle"><w:name w:val="公文 副标题"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr>${rFonts(KAITI)}</w:rPr></w:style>` +
  `<w:style w:type="paragraph" w:styleId="GwH1"><w:name w:val="公文 一级标题"/><w:basedOn w:val="GwBody"/><w:next w:val="GwBody"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="1"/></w:pPr><w:rPr>${rFonts(HEITI)}</w:rPr></w:style>` +
  `<w:style w:type="paragraph" w:styleId="GwH2"><w:name w:val="公文 二级标题"/><w:basedOn w:val="GwBody"/><w:next w:val="GwBody"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="2"/></w:pPr><w:rPr>${rFonts(KAITI)}</w:rPr></w:style>` +
  `<w:style w:type="paragraph" w:styleId="GwH3"><w:name w:val="公文 三级标题"/><w:basedOn w:val="GwBody"/><w:next w:val="GwBody"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="3"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>` +
  `<w:style w:type="paragraph" w:styleId="GwAttachmentHead"><w:name w:val="公文 附件标识"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:pageBreakBefore/><w:jc w:val="left"/></w:pPr><w:rPr>${rFonts(HEITI)}</w:rPr></w:style>` +
  `<w:style w:type="paragraph" w:styleId="GwFigure"><w:name w:val="公文 图"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr></w:style>` +
  `<w:style w:type="paragraph" w:styleId="GwCaption"><w:name w:val="公文 图题"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr>${rFonts(KAITI)}</w:rPr></w:style>` +
  `<w:style w:type="paragraph" w:styleId="GwPageNumber"><w:name w:val="公文 页码"/><w:basedOn w:val="Normal"/><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="280" w:lineRule="exact"/></w:pPr><w:rPr>${rFonts(SONGTI)}<w:spacing w:val="0"/>${size(28)}</w:rPr></w:style>` +
  `<w:style w:type="character" w:styleId="GwLead"><w:name w:val="公文 引导语"/><w:rPr>${rFonts(HEITI)}</w:rPr></w:style>` +
  `</w:styles>`;

/** Where a 公文 font is missing, Word substitutes the common font named here. */
const FONT_TABLE =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="${W}">` +
  [
    [FANGSONG, '仿宋'],
    [KAITI, '楷体'],
    [XIAOBIAOSONG, '宋体'],
    [HEITI, 'SimHei'],
    [SONGTI, 'SimSun'],
  ]
    .map(([name, alt]) => `<w:font w:name="${name}"><w:altName w:val="${alt}"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>`)
    .join('') +
  `</w:fonts>`;

/** Punctuation not compressed: 公文 keeps every character on the grid. Odd and even pages have their own footers. */
const SETTINGS =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings xmlns:w="${W}"><w:defaultTabStop w:val="${2 * CHAR}"/><w:evenAndOddHeaders/>` +
  `<w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`;

/** "— 1 —", one character in from the outer edge. */
function footer(side: 'right' | 'left'): string {
  const field =
    `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
    `<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`;
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr xmlns:w="${W}" xmlns:r="${R}">` +
    para('GwPageNumber', `${run('— ')}${field}${run(' —')}`, `<w:ind w:${side}="${CHAR}"/><w:jc w:val="${side}"/>`) +
    `</w:ftr>`
  );
}

const mm = (v: number) => Math.round(v * TWIPS_MM);

/**
 * A4 with GB/T 9704's margins. The page number's dash sits 7 mm below the text block (GB/T 9704
 * 7.5): 28 mm above the page's bottom edge, the middle of the footer's 14 pt line, so the footer
 * starts 25.5 mm up.
 */
const SECTION =
  `<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>` +
  `<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="${mm(37)}" w:right="${mm(26)}" w:bottom="${mm(35)}" w:left="${mm(28)}" w:header="${mm(15)}" w:footer="${mm(25.5)}" w:gutter="0"/>` +
  `<w:docGrid w:type="lines" w:linePitch="579"/></w:sectPr>`;

/** The document part: every block in order, then the section. */
export function documentXml(blocks: readonly Block[]): { xml: string; images: Uint8Array[] } {
  const images: Uint8Array[] = [];
  const parts = [
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${W}" xmlns:r="${R}" ` +
      `xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><w:body>`,
  ];
  for (const b of blocks)
    parts.push(
      blockXml(b, () => {
        if (b.kind === 'image') images.push(b.png);
        return { rid: `rIdImage${images.length}`, id: images.length };
      }),
    );
  parts.push(SECTION, '</w:body></w:document>');
  return { xml: parts.join(''), images };
}

/** Builds the .docx: the same blocks and info give the same bytes. */
export async function writeDocx(blocks: readonly Block[], info: DocumentInfo): Promise<Buffer> {
  const { xml, images } = documentXml(blocks);
  const media = images.map((_, i) => `media/image${i + 1}.png`);
  const stamp = `${info.date}T00:00:00+08:00`;
  const entries: [string, string | Uint8Array][] = [
    [
      '[Content_Types].xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
        `<Default Extension="png" ContentType="image/png"/>` +
        `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
        `<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
        `<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
        `<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>` +
        `<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
        `<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
        `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
        `<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`,
    ],
    [
      '_rels/.rels',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${REL}">` +
        `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
        `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
        `<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>`,
    ],
    [
      'docProps/core.xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
        `xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
        `<dc:title>${xmlText(info.title)}</dc:title><dc:creator>${xmlText(info.author)}</dc:creator><cp:lastModifiedBy>${xmlText(info.author)}</cp:lastModifiedBy>` +
        `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified></cp:coreProperties>`,
    ],
    [
      'docProps/app.xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>report</Application></Properties>`,
    ],
    ['word/document.xml', xml],
    [
      'word/_rels/document.xml.rels',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${REL}">` +
        `<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
        `<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
        `<Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>` +
        `<Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
        `<Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>` +
        media.map((m, i) => `<Relationship Id="rIdImage${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="${m}"/>`).join('') +
        `</Relationships>`,
    ],
    ['word/styles.xml', STYLES],
    ['word/settings.xml', SETTINGS],
    ['word/fontTable.xml', FONT_TABLE],
    ['word/footer1.xml', footer('right')],
    ['word/footer2.xml', footer('left')],
    ...images.map((png, i): [string, Uint8Array] => [`word/${media[i]}`, png]),
  ];
  return zipPackage(new Map(entries), new Date(`${info.date}T00:00:00Z`));
}
