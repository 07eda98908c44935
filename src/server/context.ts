/** What the server's parts share: the store, the options, the check threads, and what is learnt while it runs. */
import type { Campaign, Department } from '../campaign/schema.js';
import type { CheckPool } from './check-pool.js';
import type { Store } from './store.js';

export interface ServerOptions {
  dir: string;
  campaign: Campaign;
  /** The campaign file given on the command line, passed on to merge and pack. */
  campaignFile?: string;
  /** Where merge and pack write (never inside the submissions folder). */
  outDir: string;
  /** The lead's contact shown to departments. */
  contact?: string;
  /** Bytes one department may send in all. */
  departmentLimit: number;
  tls?: { cert: Buffer; key: Buffer };
  /** One line per upload, for the clerk watching the window. */
  log?: (line: string) => void;
}

export interface Context {
  store: Store;
  options: ServerOptions;
  campaign: Campaign;
  pool: CheckPool;
  byId: ReadonlyMap<string, Department>;
  /** Each department's current files in the folder (any name): learnt once at start, then kept as uploads are promoted. */
  current: Map<string, string[]>;
  /** Each department's fill-in workbook, made once (on its first download). */
  fillIns: Map<string, Promise<string>>;
  /** The folders below --out that merge and pack runs of this server wrote (only those are downloadable). */
  runs: Set<string>;
  /** The bureau's board being read, shared by whoever asks meanwhile. */
  board?: Promise<unknown>;
}
