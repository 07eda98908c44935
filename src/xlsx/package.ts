/**
 * An xlsx package edited in place: every part is kept as the bytes it was read as, unless
 * it is parsed and changed (then it is serialised again) or removed; new parts are added.
 * Relationships and content types are read and written through the XML parser too.
 */
import { posix } from 'node:path';
import { unzip, WorkbookError } from './cells.js';
import { resolvePart } from './refs.js';
import { child, children, parseXml, serializeXml, type Document, type Element } from './xml.js';
import { zipPackage, type Chunks } from './zip.js';

export const NS = {
  rel: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  pkgRel: 'http://schemas.openxmlformats.org/package/2006/relationships',
  types: 'http://schemas.openxmlformats.org/package/2006/content-types',
} as const;

/** Relationship types this tool writes (it reads them by their last segment: relOfType). */
export const REL_TYPE = {
  worksheet: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet',
  customProperties: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties',
} as const;

export const CONTENT_TYPE = {
  worksheet: 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
  customProperties: 'application/vnd.openxmlformats-officedocument.custom-properties+xml',
} as const;

/** One relationship of a part. */
export interface Relationship {
  id: string;
  type: string;
  /** The target part's name in the package (no leading slash), or the raw target when external. */
  target: string;
  external: boolean;
}

/** The package could not be read as a zip at all. */
export class NotAZipError extends Error {}

export class XlsxPackage {
  /**
   * Part name (no leading slash) → its bytes as read, or as serialised when changed; a part
   * not yet asked for is its inflation, done when it is (see part).
   */
  private readonly bytes = new Map<string, Uint8Array | (() => Buffer)>();
  private readonly docs = new Map<string, Document>();
  private readonly dirty = new Set<string>();
  /** Parts made only as the package is written (the generated sheets' bodies): never read back. */
  private readonly made = new Map<string, Chunks>();

  private constructor() {}

  /**
   * The package's parts by cells.ts's unzip, each inflated when it is first read or written,
   * so a template that would inflate past unzip's bound is refused, not read into memory, and
   * a part removed unread (last round's added sheets, a province's hundreds of MiB) costs
   * nothing. Throws NotAZipError when it is no zip; reading a part throws cells.ts's
   * WorkbookError when it is damaged (its name in `part`) or inflates past the bound.
   */
  static load(data: Uint8Array): XlsxPackage {
    let entries: Map<string, () => Buffer>;
    try {
      entries = unzip(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    } catch {
      throw new NotAZipError();
    }
    const pkg = new XlsxPackage();
    for (const [name, inflate] of entries) if (!name.endsWith('/')) pkg.bytes.set(name, inflate);
    return pkg;
  }

  /** A part's bytes, inflated now if not yet. */
  private part(name: string): Uint8Array | undefined {
    const b = this.bytes.get(name);
    if (typeof b !== 'function') return b;
    let inflated: Buffer;
    try {
      inflated = b();
    } catch (error) {
      if (error instanceof WorkbookError && error.code === 'workbook/damaged') throw new WorkbookError('workbook/damaged', { part: name });
      throw error;
    }
    this.bytes.set(name, inflated);
    return inflated;
  }

  has(name: string): boolean {
    return this.bytes.has(name) || this.docs.has(name) || this.made.has(name);
  }

  names(): string[] {
    return [...new Set([...this.bytes.keys(), ...this.docs.keys(), ...this.made.keys()])];
  }

  /** The part's text (UTF-8) as it was read or put, whatever edits its parsed document has had since; undefined when absent. */
  readText(name: string): string | undefined {
    const b = this.part(name);
    return b && Buffer.from(b).toString('utf8');
  }

  /** The parsed part, cached: changes to it are written back when `touch` is called. */
  doc(name: string): Document | undefined {
    let doc = this.docs.get(name);
    if (doc) return doc;
    const text = this.readText(name);
    if (text === undefined) return undefined;
    doc = parseXml(text);
    this.docs.set(name, doc);
    return doc;
  }

  /** Marks a parsed part as changed: it is serialised again when the package is written. */
  touch(name: string): void {
    this.dirty.add(name);
  }

  /** Adds or replaces a part with new content. */
  put(name: string, content: string | Uint8Array | Document | Chunks): void {
    this.docs.delete(name);
    this.dirty.delete(name);
    this.made.delete(name);
    if (typeof content === 'function') this.made.set(name, content);
    else if (typeof content === 'string') this.bytes.set(name, Buffer.from(content, 'utf8'));
    else if (content instanceof Uint8Array) this.bytes.set(name, content);
    else {
      this.docs.set(name, content);
      this.dirty.add(name);
    }
  }

  remove(name: string): void {
    this.made.delete(name);
    this.bytes.delete(name);
    this.docs.delete(name);
    this.dirty.delete(name);
  }

  /** The relationships part of `name`: xl/workbook.xml → xl/_rels/workbook.xml.rels; '' (the package) → _rels/.rels. */
  static relsName(name: string): string {
    const dir = posix.dirname(name);
    return posix.join(dir === '.' ? '' : dir, '_rels', `${posix.basename(name)}.rels`);
  }

  /** The relationships of a part ('' for the package's own). */
  rels(name: string): Relationship[] {
    const doc = this.doc(XlsxPackage.relsName(name));
    if (!doc?.documentElement) return [];
    const base = name === '' ? '' : posix.dirname(name);
    return children(doc.documentElement, 'Relationship').map((r) => {
      const target = r.getAttribute('Target') ?? '';
      const external = r.getAttribute('TargetMode') === 'External';
      return { id: r.getAttribute('Id') ?? '', type: r.getAttribute('Type') ?? '', target: external ? target : resolvePart(base, target), external };
    });
  }

  /** Adds a relationship from `from` to part `target`; returns its id (the first free rIdN). */
  addRel(from: string, type: string, target: string): string {
    const relsName = XlsxPackage.relsName(from);
    let doc = this.doc(relsName);
    if (!doc) {
      doc = parseXml(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.pkgRel}"/>`);
      this.put(relsName, doc);
    }
    const root = doc.documentElement as Element;
    const taken = new Set(children(root, 'Relationship').map((r) => r.getAttribute('Id')));
    let n = taken.size + 1;
    while (taken.has(`rId${n}`)) n++;
    const rel = doc.createElementNS(NS.pkgRel, 'Relationship');
    rel.setAttribute('Id', `rId${n}`);
    rel.setAttribute('Type', type);
    const base = from === '' ? '' : posix.dirname(from);
    rel.setAttribute('Target', posix.relative(base || '.', target));
    root.appendChild(rel);
    this.touch(relsName);
    return `rId${n}`;
  }

  /** Removes the relationship `id` of part `from`. */
  removeRel(from: string, id: string): void {
    const relsName = XlsxPackage.relsName(from);
    const doc = this.doc(relsName);
    const root = doc?.documentElement;
    if (!root) return;
    for (const r of children(root, 'Relationship')) if (r.getAttribute('Id') === id) root.removeChild(r);
    this.touch(relsName);
  }

  /** Declares a part's content type ([Content_Types].xml Override), or drops it with `undefined`. */
  setContentType(name: string, type: string | undefined): void {
    const doc = this.doc('[Content_Types].xml');
    const root = doc?.documentElement;
    if (!doc || !root) return;
    for (const o of children(root, 'Override')) if (o.getAttribute('PartName') === `/${name}`) root.removeChild(o);
    if (type) {
      const o = doc.createElementNS(NS.types, 'Override');
      o.setAttribute('PartName', `/${name}`);
      o.setAttribute('ContentType', type);
      root.appendChild(o);
    }
    this.touch('[Content_Types].xml');
  }

  /** The workbook part's name (xl/workbook.xml for most producers). */
  workbookName(): string | undefined {
    return relOfType(this, '', 'officeDocument')?.target;
  }

  /** The package as zip bytes: changed parts serialised, every entry dated `date`. */
  async toBytes(date: Date): Promise<Buffer> {
    const entries = new Map<string, string | Uint8Array | Chunks>();
    for (const name of this.bytes.keys()) entries.set(name, this.part(name)!);
    for (const [name, chunks] of this.made) entries.set(name, chunks);
    for (const name of this.dirty) {
      const doc = this.docs.get(name);
      if (doc) entries.set(name, serializeXml(doc));
    }
    // [Content_Types].xml first, as producers write it and some readers expect.
    const ordered = new Map([...entries].sort(([a], [b]) => (a === '[Content_Types].xml' ? -1 : b === '[Content_Types].xml' ? 1 : 0)));
    return zipPackage(ordered, date);
  }
}

/**
 * The first relationship of part `from` ('' for the package's own) of a type, by the type's
 * last segment (officeDocument, styles, calcChain …): strict and transitional OOXML differ
 * only before it.
 */
export function relOfType(pkg: XlsxPackage, from: string, type: string): Relationship | undefined {
  return pkg.rels(from).find((r) => r.type.endsWith(`/${type}`));
}

/** The sheets of a workbook in tab order: name, part, and the <sheet> element. */
export function workbookSheets(pkg: XlsxPackage, book: string): { name: string; part: string; element: Element; rid: string }[] {
  const root = pkg.doc(book)?.documentElement;
  const sheets = root && child(root, 'sheets');
  if (!sheets) return [];
  const rels = new Map(pkg.rels(book).map((r) => [r.id, r]));
  return children(sheets, 'sheet').flatMap((element) => {
    const rid = element.getAttributeNS(NS.rel, 'id') ?? '';
    const rel = rels.get(rid);
    return rel && !rel.external ? [{ name: element.getAttribute('name') ?? '', part: rel.target, element, rid }] : [];
  });
}

/**
 * Rewrites an xlsx written by exceljs (best uncompressed: it is read back here): compressed
 * once, every entry with the same fixed `date`.
 */
export async function finishXlsx(written: Uint8Array, date: Date): Promise<Buffer> {
  return XlsxPackage.load(written).toBytes(date);
}
