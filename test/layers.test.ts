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
/** Where the program may print (io.ts is the terminal): the pipeline and everything below hand out data or events instead. */
const MAY_PRINT: readonly string[] = ['commands', 'reporters', 'server', 'cli.ts', 'start.ts', 'io.ts'];

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

/** A file's imports (static, type-only, export-from and import()) and its syntax tree. */
function parse(file: string, text: string): Parsed {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
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
}

const parsed: Parsed[] = sourceFiles().map((file) => parse(file, readFileSync(file, 'utf8')));

const shown = (file: string) => relative(REPO, file).split('\\').join('/');

/** Imports that climb: from a file to a higher layer. */
function climbing(files: readonly Parsed[]): string[] {
  return files.flatMap((p) =>
    p.imports.filter((i) => layerOf(i.target) > layerOf(p.file)).map((i) => `${shown(p.file)}:${i.line} → ${shown(i.target)} (${entryOf(p.file)} is below ${entryOf(i.target)})`),
  );
}

/** Imports of the xlsx toolkit that leave it. */
function outsideToolkit(files: readonly Parsed[]): string[] {
  return files
    .filter((p) => entryOf(p.file) === 'xlsx')
    .flatMap((p) => p.imports.filter((i) => entryOf(i.target) !== 'xlsx' && !TOOLKIT_MAY_IMPORT.includes(entryOf(i.target))).map((i) => `${shown(p.file)}:${i.line} → ${shown(i.target)}`));
}

/** Files that reach the terminal (io.ts) though their layer may not print. */
function printingFromBelow(files: readonly Parsed[]): string[] {
  const terminal = join(SRC, 'io.ts');
  return files.filter((p) => !MAY_PRINT.includes(entryOf(p.file))).flatMap((p) => p.imports.filter((i) => i.target === terminal).map((i) => `${shown(p.file)}:${i.line} → src/io.ts`));
}

/** Every import cycle, as the path that closes it. */
function cycles(files: readonly Parsed[]): string[] {
  const edges = new Map(files.map((p) => [p.file, [...new Set(p.imports.map((i) => i.target))]]));
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const walk = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      found.push([...path.slice(path.indexOf(file)), file].map(shown).join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const next of edges.get(file) ?? []) walk(next, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of edges.keys()) walk(file, []);
  return found;
}

/** Functions (declarations, methods, arrows) longer than LONGEST lines. */
function longFunctions(files: readonly Parsed[]): string[] {
  const long: string[] = [];
  for (const { file, source } of files) {
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
  return long;
}

describe('the layout of src/', () => {
  it('puts every file in a declared layer', () => {
    expect(parsed.filter((p) => layerOf(p.file) < 0).map((p) => shown(p.file))).toEqual([]);
  });

  it('has no import that climbs to a higher layer', () => {
    expect(climbing(parsed)).toEqual([]);
  });

  it('keeps the xlsx toolkit free of campaigns and messages', () => {
    expect(outsideToolkit(parsed)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles(parsed)).toEqual([]);
  });

  it('prints only from the commands, the reporters and the server', () => {
    expect(printingFromBelow(parsed)).toEqual([]);
  });

  it(`has no function longer than ${LONGEST} lines`, () => {
    expect(longFunctions(parsed)).toEqual([]);
  });
});

/** The checks can fail: made-up files with each fault are caught (paths as if under src/). */
describe('the layout check itself', () => {
  const at = (path: string, text: string) => parse(join(SRC, path), text);

  it('sees a type-only import and an import() that climb, and lets a lower import pass', () => {
    const files = [
      at('xlsx/a.ts', "import type { X } from '../commands/b.js';\nimport { y } from './c.js';"),
      at('text/d.ts', "export const f = () => import('../template/e.js');\nimport { z } from '../xlsx/a.js';"),
    ];
    expect(climbing(files)).toEqual(['src/xlsx/a.ts:1 → src/commands/b.ts (xlsx is below commands)', 'src/text/d.ts:1 → src/template/e.ts (text is below template)']);
  });

  it('sees the toolkit import a message', () => {
    expect(outsideToolkit([at('xlsx/a.ts', "import type { MessageCode } from '../messages/index.js';")])).toEqual(['src/xlsx/a.ts:1 → src/messages/index.ts']);
  });

  it('sees the pipeline reach the terminal, and lets a command', () => {
    const files = [at('pipeline/a.ts', "import { progress } from '../io.js';"), at('commands/b.ts', "import type { Io } from '../io.js';")];
    expect(printingFromBelow(files)).toEqual(['src/pipeline/a.ts:1 → src/io.ts']);
  });

  it('sees a cycle of three files', () => {
    const files = [at('text/a.ts', "import './b.js';"), at('text/b.ts', "export * from './c.js';"), at('text/c.ts', "import type { A } from './a.js';")];
    expect(cycles(files)).toEqual(['src/text/a.ts → src/text/b.ts → src/text/c.ts → src/text/a.ts']);
  });

  it('sees a function one line too long, in a method and an arrow too', () => {
    const body = (lines: number) => '  1;\n'.repeat(lines - 2);
    const files = [
      at('text/a.ts', `function ok() {\n${body(LONGEST)}}\nfunction long() {\n${body(LONGEST + 1)}}`),
      at('text/b.ts', `class C {\n  m() {\n${body(LONGEST + 1)}  }\n}\nconst f = () => {\n${body(LONGEST + 1)}};`),
    ];
    expect(longFunctions(files)).toEqual([`src/text/a.ts:${LONGEST + 1} (${LONGEST + 1} lines)`, 'src/text/b.ts:2 (81 lines)', `src/text/b.ts:${LONGEST + 4} (${LONGEST + 1} lines)`]);
  });
});
