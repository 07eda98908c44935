/**
 * The JSON Schema of a campaign's submissions, from the zod schema (`z.toJSONSchema`), for
 * editors: with a `# yaml-language-server: $schema=…` line at the top of a submission, VS Code
 * (and any editor with the YAML language server) completes keys and shows each one's Chinese
 * label, unit and hint while the clerk types. It describes the input as an editor sees YAML;
 * the typing habits the schema forgives (12人次, 任务3) are left for `report validate` to explain.
 */
import * as z from 'zod';
import type { Campaign } from '../campaign/schema.js';
import { submissionSchemas } from './schema.js';

/** The file name of the schema written beside blank submissions: no spaces (the modeline cannot hold them). */
export const schemaFileName = (campaign: Campaign) => `${campaign.id}.schema.json`;

/** The first line of a blank submission: the editor's pointer to the schema file beside it. */
export const modeline = (campaign: Campaign) => `# yaml-language-server: $schema=./${schemaFileName(campaign)} （供编辑器补全和检查，请保留此行）`;

type JsonObject = Record<string, unknown>;

/** The JSON Schema (draft-07, as older editor extensions expect) of a submission. */
export function submissionJsonSchema(campaign: Campaign): JsonObject {
  const schema = z.toJSONSchema(submissionSchemas(campaign).strict, {
    io: 'input',
    target: 'draft-07',
    unrepresentable: 'any',
    // Objects take only their keys: an editor underlines a misspelt key as the clerk types it.
    override: ({ jsonSchema }) => {
      const s = jsonSchema as JsonObject;
      if (s.type === 'object' && s.properties && typeof s.additionalProperties === 'object') s.additionalProperties = false;
    },
  }) as JsonObject;
  const properties = schema.properties as Record<string, JsonObject>;
  // A figure may be keyed by its Chinese label too, with or without the unit, as `validate` accepts.
  const statistics = properties.statistics;
  const figures = statistics?.properties as Record<string, JsonObject> | undefined;
  if (figures)
    for (const i of campaign.indicators) {
      const figure = figures[i.id];
      if (figure) for (const key of [i.label, `${i.label}（${i.unit}）`]) figures[key] = { ...figure, description: `同 ${i.id}：${String(figure.description ?? '')}` };
    }
  return {
    $schema: schema.$schema,
    title: `${campaign.title} · 报送文件`,
    description: `《${campaign.table_title}》等报送内容。截止：${campaign.deadline}；汇总单位：${campaign.issuer}。`,
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
