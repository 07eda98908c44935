/** What `status` says of earlier rounds: which received files carry warnings against history. */
import { join } from 'node:path';
import { t } from '../messages/index.js';
import { paint, shellQuoted } from './style.js';
import type { Gathered } from '../pipeline/folder.js';
import { filesWithHistoryWarnings } from '../history/warnings.js';

export function historyLines(gathered: Gathered, options: { campaign?: string; previous?: string[] }) {
  const { campaign, dir } = gathered;
  const names = new Map(campaign.departments.map((d) => [d.id, d.name]));
  const files = filesWithHistoryWarnings(gathered.files).map(({ amongPeers, ...f }) => ({ ...f, amongPeers, name: (f.department && names.get(f.department)) ?? f.file }));
  // The command that shows the warnings: with the same earlier rounds and campaign.
  const extra = [...(options.campaign ? ['--campaign', options.campaign] : []), ...(options.previous ?? []).flatMap((p) => ['--previous', p])];
  // A z-score compares with the other files: validating the one file alone would not show it.
  const command = (file: string, amongPeers: boolean) => {
    const parts = [amongPeers ? dir : join(dir, file), ...extra].map((p) => (p.startsWith('--') ? p : shellQuoted(p)));
    return parts.every(Boolean) ? `report validate ${parts.join(' ')}` : t('status/fix-hint-unquotable');
  };
  const lines = files.length
    ? [paint.yellow.bold(t('history/status-head', { count: files.length })), ...files.map((f) => t('history/status-line', { name: f.name, file: f.file, count: f.count, command: command(f.file, f.amongPeers) }))]
    : [];
  return { files, lines };
}
