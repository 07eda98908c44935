/** `report status`: the bureau's view of who is in, before and after the deadline. */
import { ExitCode } from '../diagnostics.js';
import { renderReminders, renderStatus, statusJson } from '../reporters/status.js';
import { prefersAscii } from '../reporters/table.js';
import { isComplete } from '../status/status.js';
import { gatherFolder } from '../pipeline/folder.js';
import type { Io } from '../io.js';
import { printEvents } from '../reporters/pipeline.js';

export interface StatusOptions {
  dir?: string;
  asOf?: string;
  json?: boolean;
  remind?: boolean;
  all?: boolean;
  ascii?: boolean;
  campaign?: string;
  previous?: string[];
}

export async function status(options: StatusOptions, io: Io): Promise<ExitCode> {
  const gathered = await gatherFolder(options, printEvents(io));
  if (typeof gathered === 'number') return gathered;
  const { campaign, report, dir, now } = gathered;
  // Files whose figures are far from the earlier round: the call happens before the merge.
  const history = gathered.rounds.length ? (await import('../reporters/history.js')).historyLines(gathered, options) : undefined;
  if (options.json) io.stdout(JSON.stringify({ ...statusJson(report, campaign, options.remind ? { dir, now } : undefined), ...(history && { historyWarnings: history.files }) }, null, 2));
  else {
    const ascii = prefersAscii(options.ascii);
    io.stdout(renderStatus(report, campaign, dir, { all: options.all, ascii, fits: Math.max(10, (io.rows ?? 40) - 12) }));
    if (history?.lines.length) io.stdout(history.lines.join('\n'));
    if (options.remind) io.stdout(renderReminders(report, campaign, dir, now, ascii));
  }
  return isComplete(report) ? ExitCode.ok : ExitCode.findings;
}
