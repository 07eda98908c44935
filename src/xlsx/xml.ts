/**
 * The XML of a workbook's parts, parsed and serialised with a real parser (@xmldom/xmldom),
 * never edited with patterns. Elements are found by their local name, so the same code reads
 * `<x:row>`, `<row>` and the unprefixed DrawingML some producers write.
 */
import { DOMParser, XMLSerializer, type Document, type Element, type Node } from '@xmldom/xmldom';

export type { Document, Element };

/** A part could not be parsed: the template is damaged or not what it says it is. */
export class XmlError extends Error {}

/** Parses a part; a well-formedness error throws XmlError (warnings are ignored). */
export function parseXml(text: string): Document {
  try {
    return new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new XmlError(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (error) {
    // xmldom reports a fatal error as its own ParseError, whatever onError throws.
    throw error instanceof XmlError ? error : new XmlError(error instanceof Error ? error.message : String(error));
  }
}

/** Serialises a document as it was read: its declaration, namespaces and prefixes kept. */
export function serializeXml(doc: Document): string {
  return new XMLSerializer().serializeToString(doc);
}

const ELEMENT = 1;

/** The element children of `node`, with the given local name when one is asked for. */
export function children(node: Node, localName?: string): Element[] {
  const out: Element[] = [];
  for (let n = node.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === ELEMENT && (localName === undefined || (n as Element).localName === localName)) out.push(n as Element);
  }
  return out;
}

/** The first element child with that local name. */
export function child(node: Node, localName: string): Element | undefined {
  for (let n = node.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === ELEMENT && (n as Element).localName === localName) return n as Element;
  }
  return undefined;
}

/** Every element below `node` (depth first, document order), optionally of one local name. */
export function descendants(node: Node, localName?: string): Element[] {
  const out: Element[] = [];
  const walk = (n: Node) => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType !== ELEMENT) continue;
      if (localName === undefined || (c as Element).localName === localName) out.push(c as Element);
      walk(c);
    }
  };
  walk(node);
  return out;
}

/** The text content of an element (all its text, CDATA included). */
export const textOf = (e: Element | undefined): string => (e ? (e.textContent ?? '') : '');

/** Replaces an element's content with one text node. */
export function setText(e: Element, text: string): void {
  while (e.firstChild) e.removeChild(e.firstChild);
  e.appendChild((e.ownerDocument as Document).createTextNode(text));
}

/** A new element in the namespace (and with the prefix) of `like`, the element it will sit beside or in. */
export function createLike(like: Element, localName: string): Element {
  const name = like.prefix ? `${like.prefix}:${localName}` : localName;
  return (like.ownerDocument as Document).createElementNS(like.namespaceURI, name);
}

/** CT_Worksheet's sequence, for elements added to a sheet. */
export const WORKSHEET_ORDER = [
  'sheetPr', 'dimension', 'sheetViews', 'sheetFormatPr', 'cols', 'sheetData', 'sheetCalcPr', 'sheetProtection',
  'protectedRanges', 'scenarios', 'autoFilter', 'sortState', 'dataConsolidate', 'customSheetViews', 'mergeCells',
  'phoneticPr', 'conditionalFormatting', 'dataValidations', 'hyperlinks', 'printOptions', 'pageMargins', 'pageSetup',
  'headerFooter', 'rowBreaks', 'colBreaks', 'customProperties', 'cellWatches', 'ignoredErrors', 'smartTags', 'drawing',
  'legacyDrawing', 'legacyDrawingHF', 'drawingHF', 'picture', 'oleObjects', 'controls', 'webPublishItems', 'tableParts', 'extLst',
];

/**
 * Inserts `element` into `parent` where the schema's sequence puts it: before the first
 * child whose local name comes later in `order` (CT_Worksheet, CT_Workbook … are sequences).
 */
export function insertInOrder(parent: Element, element: Element, order: readonly string[]): void {
  const rank = order.indexOf(element.localName ?? '');
  const later = children(parent).find((c) => order.indexOf(c.localName ?? '') > rank);
  parent.insertBefore(element, later ?? null);
}
