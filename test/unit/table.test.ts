/** The status table: columns line up in terminal columns (CJK is two wide), nothing is cut off. */
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/reporters/style.js';
import { renderTable } from '../../src/reporters/table.js';

const red = (s: string) => `\u001b[31m${s}\u001b[39m`;
const plain = (s: string) => s.replace(/\u001b\[\d+m/g, '');

describe('renderTable', () => {
  it('draws a box whose every line has the same width, CJK and colour included', () => {
    const out = renderTable(['序号', '单位', '状态'], [
      ['1', '区市场监管局', { text: '已报送', paint: red }],
      ['12', '区林业局', { text: '未报送', paint: red }],
    ]);
    const lines = out.split('\n');
    expect(lines[0]).toBe('┌──────┬──────────────┬────────┐');
    expect(lines[1]).toBe('│ 序号 │ 单位         │ 状态   │');
    expect(lines[2]).toBe('├──────┼──────────────┼────────┤');
    expect(lines[3]).toBe(`│ 1    │ 区市场监管局 │ ${red('已报送')} │`);
    expect(lines[4]).toBe(`│ 12   │ 区林业局     │ ${red('未报送')} │`); // no rule between rows
    expect(lines.at(-1)).toBe('└──────┴──────────────┴────────┘');
    expect(new Set(lines.map((l) => displayWidth(plain(l)))).size).toBe(1);
  });

  it('puts each line of a cell on its own row line, the other cells left blank', () => {
    const lines = renderTable(['单位', '文件'], [['区商务局', '区商务局.yaml\n区商务局（修改稿）.yaml']]).split('\n');
    expect(lines[3]).toBe('│ 区商务局 │ 区商务局.yaml           │');
    expect(lines[4]).toBe('│          │ 区商务局（修改稿）.yaml │');
  });

  it('draws a long table in blocks that join into the same lines as one table (boxed and ASCII)', () => {
    const rows = Array.from({ length: 23 }, (_, i) => [String(i + 1), i % 5 ? `单位${i}` : `第${i}个单位\n（两行）`, { text: i % 2 ? '已报送' : '未报送', paint: red }]);
    for (const ascii of [false, true]) {
      const whole = renderTable(['序号', '单位', '状态'], rows, { ascii, block: Infinity });
      expect(whole.split('\n')).toHaveLength(1 + 1 + 1 + 23 + 5 + 1);
      for (const block of [1, 4, 7, 22, 23]) expect(renderTable(['序号', '单位', '状态'], rows, { ascii, block })).toBe(whole);
    }
    expect(renderTable(['序号'], [], { block: 4 })).toBe(renderTable(['序号'], [], { block: Infinity }));
  });

  it('draws the rule under the header with + - | when asked for ASCII', () => {
    const lines = renderTable(['单位'], [['区商务局']], { ascii: true }).split('\n');
    expect(lines).toEqual(['+----------+', '| 单位     |', '+----------+', '| 区商务局 |', '+----------+']);
  });

  it('wraps text wider than 40 columns, at a space when there is one, and loses nothing', () => {
    const chinese = '这是一个非常非常长的文件名称用于测试表格的换行行为是否正确处理了中文字符.yaml';
    const english = 'a very long file name with spaces that should wrap somewhere nicely ok.yaml';
    const lines = renderTable(['文件'], [[chinese], [english]]).split('\n');
    expect(new Set(lines.map(displayWidth)).size).toBe(1);
    expect(displayWidth(lines[0]!)).toBe(40 + 4);
    const cells = lines.slice(3, -1).map((l) => l.slice(2, -2).trimEnd());
    expect(cells.slice(0, 2).join('')).toBe(chinese);
    expect(cells.slice(2).join(' ')).toBe(english);
    expect(cells[2]).toBe('a very long file name with spaces that');
  });
});
