/**
 * Preload (`node --import …/trace-modules.mjs`) that records every module a process
 * loads into the file named by REPORT_TRACE_FILE, one per line: ESM resolutions through
 * a loader hook, CommonJS requires through Module._load (the file each resolves to). Used to prove that
 * `validate`, `status` and `init` never load exceljs.
 */
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const out = process.env.REPORT_TRACE_FILE;
if (out) {
  register('./trace-modules-hooks.mjs', import.meta.url, { data: { out } });
  const load = Module._load;
  Module._load = function traced(request, parent, ...rest) {
    // The file a require resolves to (dist/ is CommonJS: its chunks are required as ./name.js).
    let file = request;
    try {
      file = Module._resolveFilename(request, parent);
    } catch {
      // Unresolvable: Node's own load reports it; the request is recorded as written.
    }
    appendFileSync(out, `require ${file}\n`);
    return load.call(this, request, parent, ...rest);
  };
}
