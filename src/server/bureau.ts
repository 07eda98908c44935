/** The bureau's link: the live board, any department's versions, and merge and pack run on the folder. */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { t } from '../messages/index.js';
import { describeUnknown, reminders, stateLabel } from '../reporters/status.js';
import { computeStatus } from '../status/status.js';
import { formatBeijing } from '../status/time.js';
import { checkFolder } from '../submission/load.js';
import type { Context } from './context.js';
import { isSameSite, sendFile, sendHtml, sendJson, sendNotFound } from './http.js';
import { bureauPage } from './pages.js';
import { sendVersion } from './department.js';
import { ANSI, renderFindings, view } from './views.js';

type BureauHandler = (ctx: Context, req: IncomingMessage, res: ServerResponse, base: string, args: string[]) => unknown;

/** By method and the path's first part after the token. */
export const BUREAU_ROUTES: Record<string, BureauHandler> = {
  'GET ': (ctx, _req, res, base) => sendHtml(res, bureauPage(ctx.campaign, { base, csrf: ctx.store.csrfFor('bureau') })),
  'GET state': async (ctx, _req, res) => {
    // One reading of the folder at a time, shared by whoever asks meanwhile.
    ctx.board ??= bureauState(ctx).finally(() => (ctx.board = undefined));
    return sendJson(res, 200, await ctx.board);
  },
  'GET file': (ctx, _req, res, _base, args) => {
    const d = args.length === 2 ? ctx.byId.get(args[0]!) : undefined;
    return d ? sendVersion(ctx, res, d, args[1]!) : sendNotFound(res);
  },
  'POST run': async (ctx, req, res, _base, args) => {
    const command = args[0];
    if (command !== 'merge' && command !== 'pack') return sendNotFound(res);
    if (!isSameSite(req, ctx.store, 'bureau')) return sendJson(res, 403, { error: t('serve/refused-csrf') }, true);
    req.resume();
    return sendJson(res, 200, await run(ctx, command));
  },
  'GET result': (ctx, _req, res, _base, args) => sendResult(ctx, res, args),
};

/** The status board as `status` computes it, with each department's versions and findings. */
async function bureauState(ctx: Context) {
  const { options, campaign, store } = ctx;
  const now = new Date();
  const { files, others } = await checkFolder(options.dir, campaign);
  const report = computeStatus(campaign, files, others, now);
  const notes = new Map(reminders(report, campaign, options.dir, now).map((r) => [r.id, r.text]));
  return {
    deadline: campaign.deadline,
    now: now.toISOString(),
    counts: Object.fromEntries(Object.entries(report.counts).map(([k, n]) => [stateLabel(k as never), n])),
    departments: report.departments.map((s) => {
      const d = ctx.byId.get(s.id)!;
      return {
        id: s.id,
        name: s.name,
        state: s.state,
        stateLabel: stateLabel(s.state),
        files: s.files,
        submittedAt: s.submittedAt ?? '',
        contact: `${s.contact.name} ${s.contact.phone}`,
        errorCount: s.errorCount ?? 0,
        reminder: notes.get(s.id) ?? '',
        revoked: store.isRevoked(s.id),
        versions: store.versions(s.id).map((v) => ({ ...view(store, d, v), findings: renderFindings(v) })),
      };
    }),
    unknown: report.unknownFiles.map((f) => describeUnknown(f, options.dir)),
  };
}

/** A file a run of this server wrote, by its run's folder and its name (nothing else below --out). */
function sendResult(ctx: Context, res: ServerResponse, args: string[]) {
  if (args.length !== 2) return sendNotFound(res);
  const folder = join(ctx.options.outDir, args[0]!);
  const found = ctx.runs.has(args[0]!) && existsSync(folder) ? readdirSync(folder).find((n) => n === args[1]) : undefined;
  if (!found || !statSync(join(folder, found)).isFile()) return sendNotFound(res);
  return sendFile(res, join(folder, found), found);
}

/** merge or pack as the command line runs them (the same checks and refusals), into a new folder below --out. */
function run(ctx: Context, command: 'merge' | 'pack'): Promise<unknown> {
  const { options, campaign } = ctx;
  const stamp = new Date(Date.now() + 8 * 3600_000).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const name = `${command}-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
  const folder = join(options.outDir, name);
  ctx.runs.add(name);
  const out = command === 'merge' ? join(folder, `${campaign.table_title}.xlsx`) : folder;
  const args = [process.argv[1]!, command, '--dir', options.dir, '--out', out, ...(options.campaignFile ? ['--campaign', options.campaignFile] : [])];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('close', (code) => {
      const files = existsSync(folder) ? readdirSync(folder).filter((n) => !n.startsWith('.') && statSync(join(folder, n)).isFile()) : [];
      options.log?.(`${formatBeijing(new Date())} ${command} → ${code === 0 ? folder : code}`);
      resolve({ ok: code === 0, output: output.replace(ANSI, ''), downloads: files.map((f) => ({ name: f, url: `result/${encodeURIComponent(name)}/${encodeURIComponent(f)}` })) });
    });
  });
}
