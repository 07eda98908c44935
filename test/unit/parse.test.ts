/** YAML text to a document with positions, and the clerk's explanation of each syntax mistake. */
import { beforeAll, describe, expect, it } from 'vitest';
import { setLang } from '../../src/messages/index.js';
import { isCollection, type Node } from 'yaml';
import { MAX_DEPTH, parseTree } from '../../src/source/parse.js';
import { BASE, edit } from '../helpers/submission.js';

beforeAll(() => setLang('zh'));

/** The node at a path of keys, or its value. */
const at = (root: Node | null | undefined, path: string[], keepNode = false) => (isCollection(root) ? root.getIn(path, keepNode) : undefined);

const error = (code: string, line: number, column: number) => expect.objectContaining({ severity: 'error', code, line, column });

describe('parseTree', () => {
  it('parses a valid submission without findings, with positions', () => {
    const parsed = parseTree(BASE);
    expect(parsed.diagnostics).toEqual([]);
    const node = at(parsed.root, ['statistics', 'fines'], true) as { range: [number, number, number] };
    expect(parsed.lineCounter.linePos(node.range[0])).toEqual({ line: 10, col: 10 });
  });

  it('keeps line numbers with CRLF line ends', () => {
    const parsed = parseTree(BASE.replace(/\n/g, '\r\n'));
    expect(parsed.diagnostics).toEqual([]);
    const node = at(parsed.root, ['statistics', 'fines'], true) as { range: [number, number, number] };
    expect(parsed.lineCounter.linePos(node.range[0])).toEqual({ line: 10, col: 10 });
  });

  it.each([
    ['top-level key', edit('filled_by: 王静辉', 'filled_by：王静辉'), 3, 10],
    ['top-level key, space after the colon', edit('filled_by: 王静辉', 'filled_by： 王静辉'), 3, 10],
    ['nested key', edit('  inspectors: 12', '  inspectors：12'), 8, 13],
    ['last line of a block', edit('  samples_failed: 1', '  samples_failed：1'), 12, 17],
    ['key of a block', edit('statistics:', 'statistics：'), 7, 11],
    ['with CRLF line ends', edit('  fines: 1.5', '  fines：1.5').replace(/\n/g, '\r\n'), 10, 8],
  ])('explains a full-width colon after a %s, at the colon', (_, text, line, column) => {
    const { diagnostics } = parseTree(text);
    expect(diagnostics).toContainEqual(error('yaml/fullwidth-colon', line, column));
    expect(diagnostics).toHaveLength(1);
  });

  it('names the key in the full-width colon message', () => {
    const { diagnostics } = parseTree(edit('  inspectors: 12', '  inspectors：12'));
    expect(diagnostics[0]!.message).toContain('inspectors');
    expect(diagnostics[0]!.message).toContain('：');
  });

  it('reports every full-width colon in one run', () => {
    const { diagnostics } = parseTree(edit('  fines: 1.5', '  fines：1.5', edit('filled_by: 王静辉', 'filled_by：王静辉')));
    expect(diagnostics).toContainEqual(error('yaml/fullwidth-colon', 3, 10));
    expect(diagnostics).toContainEqual(error('yaml/fullwidth-colon', 10, 8));
    expect(diagnostics).toHaveLength(2);
  });

  it('explains tab indentation, at the tab', () => {
    const { diagnostics } = parseTree(edit('  inspectors: 12', '\tinspectors: 12'));
    expect(diagnostics).toEqual([error('yaml/tab-indent', 8, 1)]);
  });

  it('explains full-width space indentation', () => {
    const { diagnostics } = parseTree(edit('  inspectors: 12', '\u3000inspectors: 12'));
    expect(diagnostics).toEqual([error('yaml/fullwidth-space', 8, 1)]);
  });

  it('explains a missing space after a colon', () => {
    const { diagnostics } = parseTree(edit('filled_by: 王静辉', 'filled_by:王静辉'));
    expect(diagnostics).toEqual([error('yaml/colon-space', 3, 10)]);
  });

  it('repairs typing habits in a copy so later lines are still read', () => {
    const parsed = parseTree(edit('  inspectors: 12', '\tinspectors: 12'));
    expect(at(parsed.root, ['statistics', 'fines'])).toBe(1.5);
  });

  it('explains several YAML documents in one file', () => {
    const { diagnostics } = parseTree(`${BASE}---\ndepartment: 区林业局\n`);
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: 'yaml/multiple-documents', line: 19 }));
  });

  // The parser finds the quote missing where the text ends; the clerk needs the line that opens it.
  it('reports an unclosed double quote at the quote', () => {
    const { diagnostics } = parseTree('department: 区林业局\nphone: "0559-8510026\nfilled_by: 王静辉\n');
    expect(diagnostics).toEqual([error('yaml/syntax', 2, 8)]);
    expect(diagnostics[0]!.message).toBe('YAML 格式错误：缺少配对的引号或括号');
  });

  it('reports an unclosed single quote at the quote', () => {
    const { diagnostics } = parseTree("department: 区林业局\nfilled_by: 'it''s\nphone: 0559-8510026\n");
    expect(diagnostics).toEqual([error('yaml/syntax', 2, 12)]);
  });

  it('reports an unclosed quote in a list item at the quote', () => {
    const { diagnostics } = parseTree('department: 区林业局\nmaterials:\n  - "材料/一.png\n  - 材料/二.png\n');
    expect(diagnostics).toEqual([error('yaml/syntax', 3, 5)]);
  });

  it('refuses 100 000 nested brackets before parsing, without overflowing the stack', () => {
    const { root, diagnostics } = parseTree(`a: ${'['.repeat(100_000)}\n`);
    expect(root).toBeUndefined();
    expect(diagnostics).toEqual([error('yaml/too-deep', 1, 4 + MAX_DEPTH)]);
    expect(diagnostics[0]!.message).toContain(String(MAX_DEPTH));
  });

  it('refuses deep nesting of flow mappings and of block indentation', () => {
    expect(parseTree(`a: ${'{b: '.repeat(1000)}\n`).diagnostics).toContainEqual(expect.objectContaining({ code: 'yaml/too-deep' }));
    const block = Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    expect(parseTree(block).diagnostics).toContainEqual(expect.objectContaining({ code: 'yaml/too-deep', line: MAX_DEPTH + 1 }));
  });

  it('does not count brackets inside quotes or comments', () => {
    const text = `${BASE}# ${'['.repeat(100)}\nreviewed_by: "${'['.repeat(100)}"\n`;
    expect(parseTree(text).diagnostics).toEqual([]);
  });
});
