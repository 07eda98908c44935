/**
 * The YAML language server (npm yaml-language-server, what VS Code's YAML extension runs),
 * driven over stdio as an editor drives it: open a file, read the diagnostics it publishes,
 * ask for completions. The schema is found as in the editor, through the file's
 * `# yaml-language-server: $schema=…` line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from './paths.js';

export interface LsDiagnostic {
  message: string;
  severity?: number;
  range: { start: { line: number; character: number } };
}

export interface LsCompletion {
  label: string;
  insertText?: string;
  textEdit?: { newText: string };
}

type Message = { id?: number; method?: string; params?: unknown; result?: unknown; error?: unknown };

export class YamlLanguageServer {
  private readonly child: ChildProcess;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private readonly published = new Map<string, ((d: LsDiagnostic[]) => void)[]>();
  private version = 0;

  constructor() {
    const bin = join(REPO, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
    this.child = spawn(process.execPath, [bin, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child.stdout!.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  /** Starts the session as VS Code does: validation and completion on, no schema store (offline). */
  async start(): Promise<void> {
    await this.request('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true }, textDocument: { completion: { completionItem: { snippetSupport: false } }, publishDiagnostics: {} } },
    });
    this.notify('initialized', {});
    this.notify('workspace/didChangeConfiguration', { settings: { yaml: this.settings() } });
  }

  private settings() {
    return { validate: true, completion: true, hover: true, schemaStore: { enable: false }, schemas: {}, yamlVersion: '1.2' };
  }

  /** The diagnostics the server publishes for `path` with `text` open in the editor. */
  diagnostics(path: string, text: string): Promise<LsDiagnostic[]> {
    const uri = pathToFileURL(path).href;
    const result = new Promise<LsDiagnostic[]>((resolve) => this.published.set(uri, [...(this.published.get(uri) ?? []), resolve]));
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: ++this.version, text } });
    return result;
  }

  /** The completions offered at (line, character) of `path`, already open with `text`. */
  async completion(path: string, text: string, line: number, character: number): Promise<LsCompletion[]> {
    await this.diagnostics(path, text); // opened and validated: its schema is loaded
    const result = (await this.request('textDocument/completion', { textDocument: { uri: pathToFileURL(path).href }, position: { line, character } })) as { items: LsCompletion[] } | LsCompletion[];
    return Array.isArray(result) ? result : result.items;
  }

  close(path: string): void {
    this.notify('textDocument/didClose', { textDocument: { uri: pathToFileURL(path).href } });
  }

  async stop(): Promise<void> {
    await this.request('shutdown', null).catch(() => undefined);
    this.notify('exit', null);
    this.child.kill();
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    this.child.stdin!.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  }

  private request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ id, method, params });
    });
  }

  private notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as Message;
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.handle(message);
    }
  }

  private handle(message: Message): void {
    if (message.method === undefined && message.id !== undefined) {
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
      return;
    }
    if (message.id !== undefined) {
      // A request from the server: its settings, or registrations and the like (acknowledged).
      const items = (message.params as { items?: { section?: string }[] } | undefined)?.items;
      const result = message.method === 'workspace/configuration' ? (items ?? []).map((i) => (i.section === 'yaml' ? this.settings() : i.section?.startsWith('yaml.') ? undefined : {})) : null;
      this.send({ id: message.id, result });
      return;
    }
    if (message.method === 'textDocument/publishDiagnostics') {
      const { uri, diagnostics } = message.params as { uri: string; diagnostics: LsDiagnostic[] };
      const waiting = this.published.get(uri);
      const first = waiting?.shift();
      first?.(diagnostics);
    }
  }
}
