/**
 * Uploads are checked on worker threads (the same worker.ts that checks big folders), so two
 * hundred departments uploading at once do not queue behind one another on the thread that
 * answers the browsers. A thread is started when a check needs it (or a department opens its
 * page: warm) and ends when it has been idle for a while, or at once when a big file that needs
 * no check starts to arrive (releaseIdle, see upload.ts): after a burst of uploads each thread holds tens of MiB
 * of heap, which a long video streaming in should not find still taken.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Campaign } from '../campaign/schema.js';
import { getLang } from '../messages/index.js';
import type { CheckedFile } from '../model.js';
import type { Checked } from '../submission/load.js';

/**
 * How long an idle check thread is kept. A fresh thread's first checks cost about twice what later
 * ones do (V8 compiles the check's code as it runs): 200 uploads at once used 5.8 s of CPU on fresh
 * threads and 3.3 s when the same batch came again (docs/benchmarks.md). A rush of uploads comes
 * over minutes, so threads are kept through its lulls; a big material arriving ends them at once.
 */
export const IDLE_MS = 5 * 60_000;

/**
 * Each check thread's young generation. 8 MiB rather than the 32 that status's threads use: after
 * two batches of 200 uploads the server held 252–271 MiB instead of 271–305 (the video's peak is
 * what it finds), for about a tenth more CPU on warm threads (docs/benchmarks.md, runs 15–20).
 */
const YOUNG_MB = 8;

interface Slot {
  worker?: Worker;
  /** Checks sent to this slot's thread and not answered yet. */
  busy: number;
  idle?: NodeJS.Timeout;
}

export class CheckPool {
  private slots: Slot[] = [];
  private waiting = new Map<number, { resolve: (file: CheckedFile) => void; reject: (error: unknown) => void; slot: Slot }>();
  private next = 0;

  private constructor(private readonly W: typeof Worker, private readonly workerData: unknown) {}

  static async start(campaign: Campaign): Promise<CheckPool> {
    const { Worker } = await import('node:worker_threads');
    // kept: nothing from the cache (the figures are wanted whole); withSubmission: the figures as read.
    const pool = new CheckPool(Worker, { campaign, lang: getLang(), kept: new Map(), withSubmission: true });
    const threads = Math.max(1, Math.min(availableParallelism(), 4));
    for (let i = 0; i < threads; i++) pool.slots.push({ busy: 0 });
    return pool;
  }

  /** Check one file at `path`, shown as `shownAs`. */
  check(path: string, shownAs: string): Promise<CheckedFile> {
    const index = this.next++;
    // The least busy slot; its thread is started if it has none.
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    clearTimeout(slot.idle);
    const worker = (slot.worker ??= this.startWorker(slot));
    slot.busy++;
    return new Promise((resolve, reject) => {
      this.waiting.set(index, { resolve, reject, slot });
      worker.postMessage([{ index, path, shownAs }]);
    });
  }

  /** A department opened its page: have one thread ready for its upload. */
  warm(): void {
    if (this.slots.some((s) => s.worker)) return;
    const slot = this.slots[0]!;
    slot.worker = this.startWorker(slot);
    this.idleAfter(slot, slot.worker);
  }

  /** End every thread that has nothing to check (their memory goes back to the system); the next check starts one. */
  releaseIdle(): void {
    for (const slot of this.slots) if (slot.worker && slot.busy === 0) this.retire(slot, slot.worker);
  }

  private idleAfter(slot: Slot, worker: Worker) {
    clearTimeout(slot.idle);
    slot.idle = setTimeout(() => this.retire(slot, worker), IDLE_MS).unref();
  }

  private startWorker(slot: Slot): Worker {
    const worker = new this.W(new URL('./worker.js', import.meta.url), { workerData: this.workerData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
    worker.on('message', (results: Checked[]) => {
      slot.busy -= results.length;
      for (const r of results) {
        this.waiting.get(r.index)?.resolve(r.file);
        this.waiting.delete(r.index);
      }
      if (slot.busy === 0) this.idleAfter(slot, worker);
    });
    // A thread that dies (out of memory, a bug) fails its checks (the uploads are answered with an error); the next check starts another.
    const fail = (error: unknown) => this.retire(slot, worker, error);
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`check thread ended (${code})`)));
    worker.unref();
    return worker;
  }

  /** End a slot's thread (idle, or dead): whatever it still had is failed. */
  private retire(slot: Slot, worker: Worker, error?: unknown) {
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    clearTimeout(slot.idle);
    slot.busy = 0;
    for (const [index, w] of this.waiting)
      if (w.slot === slot) {
        w.reject(error ?? new Error('check thread ended'));
        this.waiting.delete(index);
      }
    void worker.terminate();
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker?.terminate()));
  }
}
