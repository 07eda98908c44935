/**
 * The custom document properties part (docProps/custom.xml): text properties this tool keeps in a
 * workbook (which sheets it added, which merge wrote it). Excel, WPS and LibreOffice keep them
 * when the file is saved again and never show them in a cell.
 */
import { CONTENT_TYPE, REL_TYPE, XlsxPackage, relOfType } from './package.js';
import { children, parseXml, setText, textOf, type Document, type Element } from './xml.js';

const CUSTOM_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/custom-properties';
const VT_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes';
const CUSTOM_FMTID = '{D5CDD505-2E9C-101B-9397-08002B2CF9AE}';

/** The custom properties part, if the package has one. */
const customPart = (pkg: XlsxPackage): string | undefined => relOfType(pkg, '', 'custom-properties')?.target;

/** The text of one custom property, or undefined when the package has none of that name. */
export function customProperty(pkg: XlsxPackage, name: string): string | undefined {
  const part = customPart(pkg);
  const root = part ? pkg.doc(part)?.documentElement : undefined;
  const prop = root && children(root, 'property').find((p) => p.getAttribute('name') === name);
  return prop ? textOf(prop) : undefined;
}

/** Sets text properties in the package's custom properties part (made when absent); others are kept. */
export function setCustomProperties(pkg: XlsxPackage, props: Record<string, string>): void {
  let part = customPart(pkg);
  if (!part || !pkg.has(part)) {
    part = 'docProps/custom.xml';
    pkg.put(part, parseXml(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="${CUSTOM_NS}" xmlns:vt="${VT_NS}"/>`));
    pkg.addRel('', REL_TYPE.customProperties, part);
    pkg.setContentType(part, CONTENT_TYPE.customProperties);
  }
  const doc = pkg.doc(part) as Document;
  const root = doc.documentElement as Element;
  for (const p of children(root, 'property')) if (Object.hasOwn(props, p.getAttribute('name') ?? '')) root.removeChild(p);
  let pid = Math.max(1, ...children(root, 'property').map((p) => Number(p.getAttribute('pid') ?? 1)));
  for (const [name, text] of Object.entries(props)) {
    const prop = doc.createElementNS(root.namespaceURI, root.prefix ? `${root.prefix}:property` : 'property');
    prop.setAttribute('fmtid', CUSTOM_FMTID);
    prop.setAttribute('pid', String(++pid));
    prop.setAttribute('name', name);
    const value = doc.createElementNS(VT_NS, 'vt:lpwstr');
    setText(value, text);
    prop.appendChild(value);
    root.appendChild(prop);
  }
  pkg.touch(part);
}
