import { rolldown } from 'rolldown';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
const ROOT = '/work/main';
const bundle = await rolldown({
  cwd: ROOT,
  input: { cli: 'src/cli.ts', worker: 'src/submission/worker.ts' },
  platform: 'node',
  external: [...builtinModules, /^node:/, 'exceljs', 'jszip', '@resvg/resvg-js', 'yazl'],
  logLevel: 'warn',
  plugins: [{ name: 'zod-locales', resolveId(source, importer) { if (source === '../locales/index.js' && importer && /zod[\\/]v4[\\/](core|classic)[\\/]/.test(importer)) return join(ROOT, 'scripts', 'zod-locales.js'); return null; } }],
});
await bundle.write({ dir: '/work/main/distc', format: 'cjs', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', minify: false });
