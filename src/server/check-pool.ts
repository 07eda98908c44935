/**
 * Uploads are checked on worker threads (the same worker.ts that checks big folders), so two
 * hundred departments uploading at once do not queue behind one another on the thread that
 * answers the browsers.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Campaign } from '../campaign/schema.js';
import { getLang } from '../messages/index.js';
import type { CheckedFile } from '../model.js';
import type { Checked } from '../submission/load.js';

export class CheckPool {
  private workers: Worker[] = [];
  private waiting = new Map<number, { resolve: (file: CheckedFile) => void; reject: (error: unknown) => void; slot: number }>();
  private workerData: unknown;
  private next = 0;
  private busy: number[] = [];

  private constructor() {}

  static async start(campaign: Campaign): Promise<CheckPool> {
    const { Worker } = await import('node:worker_threads');
    const pool = new CheckPool();
    const threads = Math.max(1, Math.min(availableParallelism(), 4));
    // kept: nothing from the cache (the figures are wanted whole); withSubmission: the figures as read.
    pool.workerData = { campaign, lang: getLang(), kept: new Map(), withSubmission: true };
    for (let i = 0; i < threads; i++) {
      pool.busy.push(0);
      pool.startWorker(Worker, i);
    }
    return pool;
  }

  /** A thread for slot i; one that dies fails its checks (the uploads are answered with an error) and is replaced. */
  private startWorker(W: typeof Worker, i: number) {
    const worker = new W(new URL('./worker.js', import.meta.url), { workerData: this.workerData, resourceLimits: { maxYoungGenerationSizeMb: 32 } });
    worker.on('message', (results: Checked[]) => {
      this.busy[i]!--;
      for (const r of results) {
        this.waiting.get(r.index)?.resolve(r.file);
        this.waiting.delete(r.index);
      }
    });
    worker.on('error', (error) => {
      for (const [index, w] of this.waiting)
        if (w.slot === i) {
          w.reject(error);
          this.waiting.delete(index);
        }
      this.busy[i] = 0;
      if (!this.closing) this.startWorker(W, i);
    });
    worker.unref();
    this.workers[i] = worker;
  }

  private closing = false;

  /** Check one file at `path`, shown as `shownAs`. */
  check(path: string, shownAs: string): Promise<CheckedFile> {
    const index = this.next++;
    // The least busy thread.
    const i = this.busy.indexOf(Math.min(...this.busy));
    this.busy[i]!++;
    return new Promise((resolve, reject) => {
      this.waiting.set(index, { resolve, reject, slot: i });
      this.workers[i]!.postMessage([{ index, path, shownAs }]);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
