/** Loader hooks for trace-modules.mjs: append each resolved import to the trace file. */
import { appendFileSync } from 'node:fs';

let out;

export function initialize(data) {
  out = data.out;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(out, `import ${specifier} ${resolved.url}\n`);
  return resolved;
}
