/**
 * The server's store is the submissions folder itself. What `status`, `merge` and `pack` see
 * there is each department's current file (区林业局.xlsx) and its materials (材料/区林业局/…);
 * everything else lives in the hidden folder `.report-serve/`, which folder.ts skips like every
 * hidden name: every uploaded version (accepted or rejected) with a record of its check, the
 * link tokens (hashed), uploads still arriving. A file reaches its public name only by a
 * rename after it was written whole and synced, so no reader ever sees half a file.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, copyFile, link, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Campaign, Department } from '../campaign/schema.js';
import { syncFile, syncFolder, writeDurably } from '../fs.js';
import type { Diagnostic } from '../diagnostics.js';

/** The hidden folder below the submissions folder. */
export const STORE = '.report-serve';

/** What one upload became. */
export interface VersionRecord {
  /** 1, 2, 3… per department, in the order the uploads were stored. */
  seq: number;
  /** When it was stored (ISO). */
  at: string;
  /** The name the browser gave, made safe. */
  name: string;
  /** summary: a .docx, the department's 总结 (placed as materials are, for the submission's summary_file to name). */
  kind: 'submission' | 'material' | 'summary';
  size: number;
  sha256: string;
  /** accepted: it became the current file; rejected: it had errors and counts for nothing; material: stored beside the submission. */
  state: 'accepted' | 'rejected' | 'material';
  /** Where it is in the submissions folder, relative to it (current file, or material path to write in the submission). */
  published?: string;
  diagnostics: Diagnostic[];
  /** The figures as read: indicator id → value (null: left empty). */
  figures?: Record<string, number | null>;
  /** A rejected YAML file's text, to show each finding's line as `validate` does. */
  source?: string;
}

interface TokenFile {
  /** For the CSRF tokens derived from each link. */
  secret: string;
  bureau: string;
  departments: Record<string, string | null>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Write a small file whole: temporary name, sync, rename, sync the folder. */
async function writeWhole(path: string, text: string, mode = 0o600): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeDurably(tmp, text, mode);
  await rename(tmp, path);
  await syncFolder(join(path, '..'));
}

/** A per-key queue: what one department does to its files happens one at a time. */
class Locks {
  private tails = new Map<string, Promise<unknown>>();
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

export class Store {
  readonly root: string;
  readonly locks = new Locks();
  private tokens!: TokenFile;
  private records = new Map<string, VersionRecord[]>();

  constructor(readonly dir: string, readonly campaign: Campaign) {
    this.root = join(dir, STORE);
  }

  /** Open (or create) the store; clears what a killed run left half done. Returns the departments given new links. */
  async open(): Promise<void> {
    await mkdir(join(this.root, 'partial'), { recursive: true, mode: 0o700 });
    await mkdir(join(this.root, 'versions'), { recursive: true });
    // Uploads that were never acknowledged, and copies being checked.
    for (const name of await readdir(join(this.root, 'partial'))) await rm(join(this.root, 'partial', name), { force: true, recursive: true });
    for (const name of await readdir(this.dir)) if (name.startsWith('.check-')) await rm(join(this.dir, name), { force: true });
    const tokenPath = join(this.root, 'tokens.json');
    this.tokens = existsSync(tokenPath)
      ? (JSON.parse(readFileSync(tokenPath, 'utf8')) as TokenFile)
      : { secret: randomBytes(32).toString('hex'), bureau: '', departments: {} };
    for (const d of this.campaign.departments) this.records.set(d.id, this.readRecords(d.id));
  }

  private readRecords(id: string): VersionRecord[] {
    const folder = join(this.root, 'versions', id);
    if (!existsSync(folder)) return [];
    const out: VersionRecord[] = [];
    for (const name of readdirSync(folder)) {
      if (!/^\d+\.json$/.test(name)) continue;
      try {
        out.push(JSON.parse(readFileSync(join(folder, name), 'utf8')) as VersionRecord);
      } catch {
        // A record cut short by a crash was never acknowledged: it is not shown.
      }
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  versions(id: string): VersionRecord[] {
    return this.records.get(id) ?? [];
  }

  /** Bytes a department has sent (every version and material), for its limit. */
  usedBytes(id: string): number {
    return this.versions(id).reduce((sum, v) => sum + v.size, 0);
  }

  // ---- links ----

  /** Issue links for the bureau and every department without one; `reissue` replaces the named ones' (the old links stop working). */
  async issue(reissue: readonly string[] = [], revoke: readonly string[] = []): Promise<{ bureau?: string; departments: Map<string, string> }> {
    const fresh = new Map<string, string>();
    let bureau: string | undefined;
    const token = () => randomBytes(24).toString('base64url');
    if (!this.tokens.bureau || reissue.includes('bureau')) {
      bureau = token();
      this.tokens.bureau = sha256(bureau);
    }
    for (const d of this.campaign.departments) {
      if (revoke.includes(d.id)) {
        this.tokens.departments[d.id] = null;
        continue;
      }
      if (this.tokens.departments[d.id] === undefined || reissue.includes(d.id)) {
        const t = token();
        this.tokens.departments[d.id] = sha256(t);
        fresh.set(d.id, t);
      }
    }
    await writeWhole(join(this.root, 'tokens.json'), `${JSON.stringify(this.tokens, null, 1)}\n`);
    return { ...(bureau && { bureau }), departments: fresh };
  }

  isRevoked(id: string): boolean {
    return this.tokens.departments[id] === null;
  }

  /** True when `token` is the department's (or, for 'bureau', the bureau's) current link: compared in constant time. */
  isToken(id: string, token: string): boolean {
    const stored = id === 'bureau' ? this.tokens.bureau : this.tokens.departments[id];
    if (!stored) return false;
    return timingSafeEqual(Buffer.from(sha256(token), 'hex'), Buffer.from(stored, 'hex'));
  }

  /** The token a page must send back with every change (derived from its link, so it changes when the link does). */
  csrfFor(id: string): string {
    const stored = id === 'bureau' ? this.tokens.bureau : this.tokens.departments[id];
    return createHash('sha256').update(`${this.tokens.secret}:${id}:${stored ?? ''}`).digest('base64url');
  }

  isCsrf(id: string, given: string): boolean {
    const want = Buffer.from(this.csrfFor(id));
    const got = Buffer.from(given);
    return got.length === want.length && timingSafeEqual(got, want);
  }

  // ---- files ----

  /** A new file name for an upload as it arrives. */
  partialPath(): string {
    return join(this.root, 'partial', randomBytes(12).toString('hex'));
  }

  private folderOf(id: string): string {
    return join(this.root, 'versions', id);
  }

  /** Where a version's bytes are kept. */
  versionPath(id: string, v: Pick<VersionRecord, 'seq' | 'name'>): string {
    return join(this.folderOf(id), `${v.seq}${extensionOf(v.name)}`);
  }

  /**
   * Keep an upload as the department's next version: moved out of partial/ (already synced).
   * To be called inside the department's lock.
   */
  async keep(id: string, partial: string, name: string): Promise<{ seq: number; path: string }> {
    await mkdir(this.folderOf(id), { recursive: true });
    const known = this.versions(id);
    // Past the records, a version file of a run killed before its record was written.
    let seq = (known.at(-1)?.seq ?? 0) + 1;
    while (existsSync(this.versionPath(id, { seq, name })) || existsSync(join(this.folderOf(id), `${seq}.json`))) seq++;
    const path = this.versionPath(id, { seq, name });
    // The folder is synced when the version's record is written (record), before anything is acknowledged.
    await rename(partial, path);
    return { seq, path };
  }

  /** Record what a version became; acknowledged to the browser only after this. */
  async record(id: string, record: VersionRecord): Promise<void> {
    await writeWhole(join(this.folderOf(id), `${record.seq}.json`), `${JSON.stringify(record)}\n`, 0o644);
    const list = this.records.get(id) ?? [];
    list.push(record);
    this.records.set(id, list);
  }

  /** A copy of a kept version at a hidden name in the submissions folder, to be checked where it will live (materials are found beside it). */
  async stage(id: string, version: string, ext: string): Promise<string> {
    const staged = join(this.dir, `.check-${id}-${randomBytes(6).toString('hex')}${ext}`);
    await copyFile(version, staged);
    // Readable like the folder's other files (uploads arrive private, 0600).
    await chmod(staged, 0o644);
    await syncFile(staged);
    return staged;
  }

  /**
   * Make a checked copy the department's current file: renamed over `<name>.<ext>`, and any other
   * current file of the department (another format, a file put in by hand) moved into its
   * versions, so the folder holds exactly one. Nothing is deleted.
   */
  async promote(department: Department, staged: string, ext: string, others: readonly string[]): Promise<string> {
    const name = `${department.name}${ext}`;
    const target = join(this.dir, name);
    await mkdir(this.folderOf(department.id), { recursive: true });
    const keptAs = (file: string) => join(this.folderOf(department.id), `replaced-${Date.now()}-${randomBytes(3).toString('hex')}-${file}`);
    // The file at that name stays reachable among the versions (a second name for the same bytes), then is replaced in one step.
    const hadCurrent = existsSync(target);
    if (hadCurrent) await link(target, keptAs(name)).catch(() => copyFile(target, keptAs(name)));
    await rename(staged, target);
    let moved = hadCurrent;
    for (const other of others)
      if (other !== name && existsSync(join(this.dir, other))) {
        await rename(join(this.dir, other), keptAs(other));
        moved = true;
      }
    await syncFolder(this.dir);
    if (moved) await syncFolder(this.folderOf(department.id));
    return name;
  }

  /** Place a material under 材料/<单位>/, keeping an older file of that name among the versions. Returns its path relative to the folder. */
  async placeMaterial(department: Department, version: string, name: string): Promise<string> {
    const folder = join(this.dir, '材料', department.name);
    await mkdir(folder, { recursive: true });
    const target = join(folder, name);
    const tmp = join(folder, `.${randomBytes(6).toString('hex')}.tmp`);
    // A second name for the kept bytes (a 2 GB video is not copied); a copy where links cannot be made.
    await link(version, tmp).catch(() => copyFile(version, tmp));
    await chmod(tmp, 0o644);
    await syncFile(tmp);
    // The older file of that name is already kept as its own version: the rename only replaces the public copy.
    await rename(tmp, target);
    await syncFolder(folder);
    return `材料/${department.name}/${name}`;
  }

  /**
   * The current file a department's last accepted version was promoted to, if a crash stopped the
   * promotion: done again on start, moving aside the department's other current files (`others`,
   * as promote) so that it is left with exactly one. Returns the file's name when it promoted.
   */
  async resume(department: Department, others: readonly string[]): Promise<string | undefined> {
    const last = this.versions(department.id).filter((v) => v.state === 'accepted').at(-1);
    if (!last?.published) return undefined;
    const current = join(this.dir, last.published);
    const have = await readFile(current).then((b) => createHash('sha256').update(b).digest('hex'), () => undefined);
    if (have === last.sha256) return undefined;
    const version = this.versionPath(department.id, last);
    if (!existsSync(version)) return undefined;
    const staged = await this.stage(department.id, version, extensionOf(last.name));
    return this.promote(department, staged, extensionOf(last.name), others);
  }

  async fileSize(path: string): Promise<number> {
    return (await stat(path)).size;
  }
}

/** The extension of a name, lower case with its dot ('' when none). */
export function extensionOf(name: string): string {
  const m = /\.[A-Za-z0-9]{1,8}$/.exec(name);
  return m ? m[0].toLowerCase() : '';
}

/** Every name a department's current submission may have in the folder (one is kept; promote moves the others aside). */
export const submissionNames = (department: Department): string[] => ['.yaml', '.yml', '.xlsx', '.xlsm'].map((e) => `${department.name}${e}`);
