/**
 * The end-to-end tests run the built CLI, not the TypeScript sources. `npm test`
 * builds first (the `pretest` script); a bare `npx vitest run` on a fresh clone
 * would otherwise fail in every spawned process with an unhelpful stack.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_CLI, REPO } from './paths.js';

export default function setup(): void {
  if (!existsSync(DIST_CLI))
    throw new Error(`${DIST_CLI} is missing: build first with \`npm run build\` (or run \`npm test\`, which builds).`);
  // A stale build makes the end-to-end tests test yesterday's code: say so, loudly.
  const built = statSync(DIST_CLI).mtimeMs;
  const newer = sourcesNewerThan(join(REPO, 'src'), built);
  if (newer.length)
    console.warn(`warning: dist/ is older than ${newer.slice(0, 3).join(', ')}${newer.length > 3 ? ' …' : ''}; run \`npm run build\` (or \`npm test\`).`);
}

function sourcesNewerThan(dir: string, time: number): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourcesNewerThan(path, time));
    else if (entry.name.endsWith('.ts') && statSync(path).mtimeMs > time) out.push(path);
  }
  return out;
}
