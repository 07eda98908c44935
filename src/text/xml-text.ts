/**
 * Text as XML holds it: the characters XML 1.0 refuses, escaping, white space kept. No
 * imports: the campaign check and the Word writer use it without loading an XML parser.
 */

/** Characters XML 1.0 does not allow at all: C0 controls but tab and line ends, U+FFFE, U+FFFF. */
export const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

const NOT_XML_ALL = new RegExp(NOT_XML, 'g');

/** `text` without the characters XML cannot hold (a YAML "\x01" escape could bring one). */
export function xmlChars(text: string): string {
  return text.replace(NOT_XML_ALL, '');
}

/** What escapeXml changes: markup and the characters XML cannot hold. Most texts have none. */
const TO_ESCAPE = new RegExp(`[&<>]|${NOT_XML.source}`);

/** Text as XML character data: the characters XML cannot hold dropped, markup escaped. */
export function escapeXml(text: string): string {
  if (!TO_ESCAPE.test(text)) return text;
  return xmlChars(text).replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

const SPACE = /\s/;

/** True when a text starts or ends with white space, which only xml:space="preserve" keeps. */
export function needsPreserve(text: string): boolean {
  // Its two ends only: /\s$/ would try every position of a long text.
  return text !== '' && (SPACE.test(text[0]!) || SPACE.test(text[text.length - 1]!));
}
