/** A worker thread that checks submission files for checkFolder (big folders only). */
import { parentPort, workerData } from 'node:worker_threads';
import type { Campaign } from '../campaign/schema.js';
import { setLang } from '../messages/index.js';
import { checkFile } from './load.js';

const { campaign, lang } = workerData as { campaign: Campaign; lang: string };
setLang(lang);

parentPort!.on('message', async (batch: { index: number; path: string; shownAs: string }[]) => {
  const results = [];
  for (const job of batch) {
    const file = await checkFile(job.path, campaign, { shownAs: job.shownAs });
    results.push({ index: job.index, file });
  }
  parentPort!.postMessage(results);
});
