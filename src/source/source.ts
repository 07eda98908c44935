/**
 * What every source of a submission gives the schema: plain data (objects, lists, strings,
 * numbers, booleans, null — never a parser's nodes) and a map from a value's path to where
 * it was typed. The schema decides what is valid without knowing the format; findings are
 * placed through the map: `file:line:column` for text, `sheet!cell` for workbooks.
 */
import type { Diagnostic, Position } from '../diagnostics.js';
import type { MessageCode } from '../messages/index.js';
import type { Rollup } from '../model.js';

/** The keys and list indexes that lead to a value: ['statistics', 'fines'], ['cases', 2, 'date']. */
export type Path = readonly (string | number)[];

/** Where a source's values were typed. */
export interface SourceMap {
  /** Where the value at `path` was typed, or its key (`part: 'key'`); undefined when there is none. */
  locate(path: Path, part?: 'key' | 'value'): Position | undefined;
  /** Where character `offset` of the text at `path` was typed (the value's own place when not finer). */
  locateIn(path: Path, offset: number): Position | undefined;
  /** The beginning of the source, where findings about the whole of it go. */
  readonly start: Position;
  /**
   * What the clerk calls the value at `path`, when the source shows it under a label of its own
   * (a workbook's 填表人, 日期); messages then name it so instead of by its path in the data.
   */
  name?(path: Path): string | undefined;
  /** The source's own wording of some findings (a workbook's 是/否 where YAML's says true/false). */
  readonly wording?: Partial<Record<MessageCode, MessageCode>>;
}

/** A source read into data, or the findings that stopped it (then `data` is undefined). */
export interface SourceRead {
  data?: unknown;
  map: SourceMap;
  /** What the source itself found: syntax, duplicate or reserved keys, unreadable cells… */
  diagnostics: Diagnostic[];
  /** A lower level's merged table: its rows by unit and what its figures leave out (beside the data: no key of a submission). */
  rollup?: Rollup;
  /** The unit below that reported each of `data.cases`, by index (a merged table's 单位 column). */
  caseUnits?: string[];
}

/** Keys that could reach an object's prototype if a naive consumer used them: a source drops them. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The map key of a path (a NUL cannot occur in a key that reaches here). */
export const pathKey = (path: Path): string => path.join('\u0000');

/** Line ends as YAML and Windows editors write them, old Mac (CR) and Unicode's (NEL, LS, PS) included. */
export const LINE_END = /\r\n|\r|\n|\u0085|\u2028|\u2029/;
