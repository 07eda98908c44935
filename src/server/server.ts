/**
 * The office-network collection server: node:http (or node:https with a certificate), busboy for
 * multipart uploads, the store in the submissions folder (store.ts), the same check as
 * `validate` (on worker threads, check-pool.ts), the same status as `status`, and merge/pack
 * run as the command line runs them. Each link's requests go to a table of handlers:
 * department.ts (and upload.ts) for a department's link, bureau.ts for the bureau's.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Campaign } from '../campaign/schema.js';
import { t } from '../messages/index.js';
import { claimedDepartment } from '../status/status.js';
import { checkFolder } from '../submission/load.js';
import { BUREAU_ROUTES } from './bureau.js';
import { CheckPool } from './check-pool.js';
import type { Context, ServerOptions } from './context.js';
import { DEPARTMENT_ROUTES } from './department.js';
import { safeDecode, send, sendJson, sendNotFound, sendText } from './http.js';
import { ASSETS } from './pages.js';
import { submissionNames, type Store } from './store.js';

export type { ServerOptions } from './context.js';

export async function createCollectionServer(store: Store, options: ServerOptions) {
  const { campaign } = options;
  const pool = await CheckPool.start(campaign);
  const current = await currentFiles(options.dir, campaign);
  // A promotion a crash stopped is finished (with the department's other current files moved aside, as for an upload).
  for (const d of campaign.departments) {
    const resumed = await store.resume(d, [...(current.get(d.id) ?? []), ...submissionNames(d)]);
    if (resumed) current.set(d.id, [resumed]);
  }
  const ctx: Context = { store, options, campaign, pool, byId: new Map(campaign.departments.map((d) => [d.id, d])), current, fillIns: new Map(), runs: new Set() };

  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }) : http.createServer();
  server.on('request', (req, res) => {
    route(ctx, req, res).catch((error: unknown) => {
      options.log?.(`${t('internal/bug')} ${(error as Error)?.stack ?? String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { error: t('serve/failed-internal') });
      else res.destroy();
    });
  });

  return {
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await pool.close();
      ctx.fillIns.clear();
    },
  };
}

/** Each department's current files in the folder (any name), read once at start. A broken file counts for the department it names too: it is moved aside when a good one comes. */
async function currentFiles(dir: string, campaign: Campaign): Promise<Map<string, string[]>> {
  const current = new Map<string, string[]>();
  for (const f of (await checkFolder(dir, campaign)).files) {
    const id = claimedDepartment(f, campaign);
    if (id) current.set(id, [...(current.get(id) ?? []), f.file]);
  }
  return current;
}

/** /assets/<name>, /d/<id>/<token>/<action>/<arg>, /b/<token>/<action>/<args…>: a wrong token opens nothing. */
async function route(ctx: Context, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://x');
  const parts = url.pathname.split('/').filter(Boolean).map((p) => safeDecode(p));
  if (parts.some((p) => p === undefined)) return sendText(res, 400, t('serve/refused-link'));
  const [area, ...rest] = parts as string[];
  if (req.method === 'GET' && area === 'assets' && rest.length === 1 && ASSETS[rest[0]!]) {
    const asset = ASSETS[rest[0]!]!;
    return send(res, 200, asset.type, asset.body, { 'Cache-Control': 'no-cache' });
  }
  if (area === 'd' && rest.length >= 2) {
    const [id, token, action, arg] = rest as [string, string, string?, string?];
    const department = ctx.byId.get(id);
    if (!department || !ctx.store.isToken(id, token)) return sendText(res, 403, t('serve/refused-link'), true);
    const handler = DEPARTMENT_ROUTES[`${req.method} ${action ?? ''}`];
    return handler ? handler(ctx, req, res, department, `/d/${encodeURIComponent(id)}/${token}`, arg) : sendNotFound(res);
  }
  if (area === 'b' && rest.length >= 1) {
    const [token, action, ...args] = rest as [string, string?, ...string[]];
    if (!ctx.store.isToken('bureau', token)) return sendText(res, 403, t('serve/refused-link'), true);
    const handler = BUREAU_ROUTES[`${req.method} ${action ?? ''}`];
    return handler ? handler(ctx, req, res, `/b/${token}`, args) : sendNotFound(res);
  }
  return sendNotFound(res);
}
