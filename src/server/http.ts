/** Answers as the server sends them: security headers on every one, JSON, a message page, a file download. */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { t } from '../messages/index.js';
import { messagePage } from './pages.js';
import type { Store } from './store.js';

const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

export function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}, close = false) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra, ...(close && { Connection: 'close' }) });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, close = false) {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body), {}, close);
}

export function sendText(res: ServerResponse, status: number, text: string, close = false) {
  send(res, status, 'text/html; charset=utf-8', messagePage(text), {}, close);
}

export const sendNotFound = (res: ServerResponse) => sendText(res, 404, t('serve/not-found'), true);

export const sendHtml = (res: ServerResponse, html: string) => send(res, 200, 'text/html; charset=utf-8', html);

export function sendFile(res: ServerResponse, path: string, name: string) {
  const size = statSync(path).size;
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/octet-stream',
    'Content-Length': size,
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
  });
  createReadStream(path)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** A path segment decoded, or undefined when it is not valid percent-encoding. */
export function safeDecode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/** Changes come only from the page itself: its token in a header a cross-site form cannot set; the browser's own Origin when it sends one. */
export function isSameSite(req: IncomingMessage, store: Store, id: string): boolean {
  const token = req.headers['x-report-csrf'];
  if (typeof token !== 'string' || !store.isCsrf(id, token)) return false;
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (origin === 'null') return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
