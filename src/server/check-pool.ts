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
  private waiting = new Map<number, (file: CheckedFile) => void>();
  private next = 0;
  private busy: number[] = [];

  private constructor() {}

  static async start(campaign: Campaign): Promise<CheckPool> {
    const { Worker } = await import('node:worker_threads');
    const pool = new CheckPool();
    const threads = Math.max(1, Math.min(availableParallelism(), 4));
    // kept: nothing from the cache (the figures are wanted whole); withSubmission: the figures as read.
    const workerData = { campaign, lang: getLang(), kept: new Map(), withSubmission: true };
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData, resourceLimits: { maxYoungGenerationSizeMb: 32 } });
      worker.on('message', (results: Checked[]) => {
        pool.busy[i]!--;
        for (const r of results) {
          pool.waiting.get(r.index)?.(r.file);
          pool.waiting.delete(r.index);
        }
      });
      worker.unref();
      pool.workers.push(worker);
      pool.busy.push(0);
    }
    return pool;
  }

  /** Check one file at `path`, shown as `shownAs`. */
  check(path: string, shownAs: string): Promise<CheckedFile> {
    const index = this.next++;
    // The least busy thread.
    const i = this.busy.indexOf(Math.min(...this.busy));
    this.busy[i]!++;
    return new Promise((resolve) => {
      this.waiting.set(index, resolve);
      this.workers[i]!.postMessage([{ index, path, shownAs }]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
