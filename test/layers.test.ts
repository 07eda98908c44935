/**
 * The layout of src/, kept true: each folder is one job, and imports only go down the list below
 * (a file may import its own folder and any folder listed before it). Type-only imports and
 * import() count too: a type that climbs is a dependency that climbs. Also: no import cycle
 * anywhere, the xlsx toolkit knows no campaign and no message, and no function is longer than
 * LONGEST lines (a newcomer reads a function whole). README.md (开发) says the same in prose.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/paths.js';

/** Lowest first. A root file of src/ is its own entry; a folder stands for every file in it. */
const LAYERS: readonly (readonly string[])[] = [
  ['messages'],
  ['diagnostics.ts', 'model.ts', 'fs.ts', 'io.ts', 'paths.ts', 'cache.ts', 'code-cache.ts'],
  ['xlsx'],
  ['text'],
  ['campaign'],
  ['status'],
  ['layout'],
  ['table'],
  ['source'],
  ['history'],
  ['submission'],
  ['template'],
  ['documents'],
  ['pipeline'],
  ['reporters'],
  ['server'],
  ['commands'],
  ['cli.ts', 'start.ts'],
];
/** What the xlsx toolkit may import besides itself: nothing of the program (its errors are typed values). */
const TOOLKIT_MAY_IMPORT: readonly string[] = [];
const LONGEST = 80;

const SRC = join(REPO, 'src');

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** The layer entry of a file: its folder under src/, or its own name at the top. */
const entryOf = (file: string) => relative(SRC, file).split(/[\\/]/)[0]!;
const layerOf = (file: string) => LAYERS.findIndex((layer) => layer.includes(entryOf(file)));

interface Parsed {
  file: string;
  source: ts.SourceFile;
  imports: { target: string; line: number }[];
}

const parsed: Parsed[] = sourceFiles().map((file) => {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const imports: Parsed['imports'] = [];
  const add = (spec: ts.Expression | undefined, node: ts.Node) => {
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) return;
    imports.push({ target: normalize(join(dirname(file), spec.text.replace(/\.js$/, '.ts'))), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier, node);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], node);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal as ts.Expression, node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { file, source, imports };
});

const shown = (file: string) => relative(REPO, file).split('\\').join('/');

describe('the layout of src/', () => {
  it('puts every file in a declared layer', () => {
    expect(parsed.filter((p) => layerOf(p.file) < 0).map((p) => shown(p.file))).toEqual([]);
  });

  it('has no import that climbs to a higher layer', () => {
    const climbing = parsed.flatMap((p) =>
      p.imports.filter((i) => layerOf(i.target) > layerOf(p.file)).map((i) => `${shown(p.file)}:${i.line} → ${shown(i.target)} (${entryOf(p.file)} is below ${entryOf(i.target)})`),
    );
    expect(climbing).toEqual([]);
  });

  it('keeps the xlsx toolkit free of campaigns and messages', () => {
    const outside = parsed
      .filter((p) => entryOf(p.file) === 'xlsx')
      .flatMap((p) => p.imports.filter((i) => entryOf(i.target) !== 'xlsx' && !TOOLKIT_MAY_IMPORT.includes(entryOf(i.target))).map((i) => `${shown(p.file)}:${i.line} → ${shown(i.target)}`));
    expect(outside).toEqual([]);
  });

  it('has no import cycle', () => {
    const edges = new Map(parsed.map((p) => [p.file, [...new Set(p.imports.map((i) => i.target))]]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const walk = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map(shown).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of edges.get(file) ?? []) walk(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of edges.keys()) walk(file, []);
    expect(cycles).toEqual([]);
  });

  it(`has no function longer than ${LONGEST} lines`, () => {
    const long: string[] = [];
    for (const { file, source } of parsed) {
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
          const lines = source.getLineAndCharacterOfPosition(node.end).line - first + 1;
          if (lines > LONGEST) long.push(`${shown(file)}:${first + 1} (${lines} lines)`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(long).toEqual([]);
  });
});

/** A check that can fail: the rules above find a planted climb, cycle and long function. */
describe('the layout check itself', () => {
  it('sees a climbing import, a cycle and a long function in made-up files', () => {
    const lower = LAYERS.findIndex((l) => l.includes('xlsx'));
    const higher = LAYERS.findIndex((l) => l.includes('commands'));
    expect(lower).toBeLessThan(higher);
    const fake = ts.createSourceFile('x.ts', `function f() {\n${'  1;\n'.repeat(LONGEST)}}`, ts.ScriptTarget.Latest, true);
    const fn = fake.statements[0]!;
    expect(fake.getLineAndCharacterOfPosition(fn.end).line + 1).toBeGreaterThan(LONGEST);
  });
});
