/** `report schema`: the JSON Schema of a submission, for editors that complete keys as the clerk types. */
import { loadCampaign } from '../source/campaign.js';
import { ExitCode } from '../diagnostics.js';
import { publishFile, shownPath } from '../fs.js';
import type { Io } from '../io.js';
import { osReason, t } from '../messages/index.js';
import { submissionJsonSchema } from '../submission/json-schema.js';

export interface SchemaOptions {
  campaign?: string;
  out?: string;
  force?: boolean;
}

export async function schema(options: SchemaOptions, io: Io): Promise<ExitCode> {
  const campaign = await loadCampaign(options.campaign);
  const text = `${JSON.stringify(submissionJsonSchema(campaign), null, 2)}\n`;
  if (options.out === undefined) {
    io.stdout(text);
    return ExitCode.ok;
  }
  try {
    await publishFile(options.out, text, Boolean(options.force));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    io.stderr(code === 'EEXIST' ? t('usage/output-exists', { file: shownPath(options.out) }) : t('usage/write-failed', { file: shownPath(options.out), reason: osReason(error) }));
    return ExitCode.usage;
  }
  io.stdout(t('ui/schema-written', { file: shownPath(options.out) }));
  return ExitCode.ok;
}
