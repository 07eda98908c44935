/** Everything in a folder, to show that a command left it exactly as it was. */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Each file and folder under `root` (by path relative to it) → its SHA-256 (files), size
 * and modification time. Equal snapshots: nothing was added, removed, rewritten or touched.
 */
export function snapshotTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const info = lstatSync(path);
      const hash = entry.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : entry.isDirectory() ? 'folder' : 'other';
      out.set(relative(root, path), `${hash} ${info.size} ${info.mtimeMs}`);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(root);
  return out;
}
