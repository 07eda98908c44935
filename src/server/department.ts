/** A department's link: its page, its versions, its fill-in workbook, its uploads (upload.ts). */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Department } from '../campaign/schema.js';
import type { Context } from './context.js';
import { sendFile, sendHtml, sendJson, sendNotFound } from './http.js';
import { departmentPage } from './pages.js';
import { uploadRoute } from './upload.js';
import { view } from './views.js';

type DepartmentHandler = (ctx: Context, req: IncomingMessage, res: ServerResponse, d: Department, base: string, arg?: string) => unknown;

/** By method and the path's first part after the token. */
export const DEPARTMENT_ROUTES: Record<string, DepartmentHandler> = {
  'GET ': (ctx, _req, res, d, base) => {
    // The department is about to upload: a check thread is started now rather than when its file arrives.
    ctx.pool.warm();
    return sendHtml(res, departmentPage(ctx.campaign, d, { base, csrf: ctx.store.csrfFor(d.id), contact: ctx.options.contact }));
  },
  'GET state': (ctx, _req, res, d) => sendJson(res, 200, { deadline: ctx.campaign.deadline, now: new Date().toISOString(), versions: ctx.store.versions(d.id).map((v) => view(ctx.store, d, v)) }),
  'GET fill-in.xlsx': (ctx, _req, res, d) => sendFillIn(ctx, res, d),
  'GET file': (ctx, _req, res, d, _base, arg) => (arg ? sendVersion(ctx, res, d, arg) : sendNotFound(res)),
  'POST upload': (ctx, req, res, d) => uploadRoute(ctx, req, res, d),
};

/** One of the department's versions by its number (only its own records are looked in: another department's is not found). */
export function sendVersion(ctx: Context, res: ServerResponse, d: Department, seqText: string) {
  const v = ctx.store.versions(d.id).find((x) => String(x.seq) === seqText);
  if (!v) return sendNotFound(res);
  return sendFile(res, ctx.store.versionPath(d.id, v), v.name);
}

/** The department's fill-in workbook, as `report init --format xlsx` writes it; made once and kept under the store. */
async function sendFillIn(ctx: Context, res: ServerResponse, d: Department) {
  let made = ctx.fillIns.get(d.id);
  if (!made) {
    made = writeFillInOnce(ctx, d);
    ctx.fillIns.set(d.id, made);
    made.catch(() => ctx.fillIns.delete(d.id));
  }
  return sendFile(res, await made, `${d.name}.xlsx`);
}

async function writeFillInOnce(ctx: Context, d: Department): Promise<string> {
  const folder = join(ctx.store.root, 'fill-in');
  await mkdir(folder, { recursive: true });
  const path = join(folder, `${d.id}.xlsx`);
  if (existsSync(path)) return path;
  const { writeFillIn } = await import('../template/fill-in.js');
  const tmp = `${path}.${process.pid}.tmp`;
  await rm(tmp, { force: true });
  await writeFillIn(tmp, ctx.campaign, d);
  await rename(tmp, path);
  return path;
}
