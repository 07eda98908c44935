/** A worker thread that checks submission files for checkFiles (big folders only). */
import { parentPort, workerData } from 'node:worker_threads';
import type { Campaign } from '../campaign/schema.js';
import { setLang } from '../messages/index.js';
import { checkFile, type Checked, type Job, type KeptCheck } from './load.js';

const { campaign, lang, kept, withSubmission } = workerData as { campaign: Campaign; lang: string; kept: Map<string, KeptCheck>; withSubmission: boolean };
setLang(lang);

parentPort!.on('message', async (batch: Job[]) => {
  const results: Checked[] = [];
  for (const job of batch) results.push(await checkFile(job, campaign, kept, withSubmission));
  parentPort!.postMessage(results);
});
