/** A version as the pages show it, and its findings as `validate` prints them. */
import type { Department } from '../campaign/schema.js';
import { formatSize } from '../fs.js';
import { formatDiagnostics } from '../reporters/diagnostics.js';
import { formatBeijing } from '../status/time.js';
import type { Store, VersionRecord } from './store.js';

export const ANSI = /\u001b\[[0-9;]*m/g;

/** A version as the pages show it: its state now (an accepted one later replaced says so). */
export function view(store: Store, d: Department, v: VersionRecord) {
  const lastAccepted = store.versions(d.id).filter((x) => x.state === 'accepted').at(-1);
  const state = v.state === 'accepted' && v !== lastAccepted ? 'superseded' : v.state;
  const { source: _text, ...shown } = v;
  // To the second: a receipt may be what settles whether a file came before the deadline.
  const seconds = String(new Date(v.at).getUTCSeconds()).padStart(2, '0');
  return { ...shown, state, at: `${formatBeijing(v.at)}:${seconds}`, sizeShown: formatSize(v.size) };
}

/** Findings as `validate` prints them, for the page. */
export function renderFindings(v: VersionRecord): string {
  if (!v.diagnostics.length) return '';
  return formatDiagnostics({ file: v.name, source: v.source, diagnostics: v.diagnostics }).replace(ANSI, '');
}
