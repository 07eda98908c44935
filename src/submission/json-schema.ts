/**
 * The JSON Schema of a campaign's submissions, for editors: with a `# yaml-language-server:
 * $schema=…` line at the top of a submission, VS Code (and any editor with the YAML language
 * server) completes keys and shows each one's Chinese label, unit and hint while the clerk types,
 * and marks in red what `report validate` would refuse.
 *
 * The titles and descriptions come from the zod schema (`z.toJSONSchema`); the constraints are
 * written here, because an editor sees YAML as YAML 1.2 reads it and must agree with `validate`:
 * it accepts the typing habits `validate` accepts (`"12"`, 任务32, `task: "16"`, `exposed: 是`,
 * an empty `statistics:`, a name with a trailing full-width space) and refuses what a schema can
 * say (empty required texts, days that do not exist, more than 4 decimals written as text, both
 * summary and summary_file). What no schema can see — files on disk, cross-field rules, a number
 * YAML has already read (`0x1F` is 31, `1e3` is 1000) — is left to `validate`; the list is kept
 * in test/editor-agreement.e2e.test.ts.
 */
import * as z from 'zod';
import type { Campaign } from '../campaign/schema.js';
import { submissionSchemas } from './schema.js';

/** The file name of the schema written beside blank submissions: no spaces (the modeline cannot hold them). */
export const schemaFileName = (campaign: Campaign) => `${campaign.id}.schema.json`;

/** The first line of a blank submission: the editor's pointer to the schema file beside it. */
export const modeline = (campaign: Campaign) => `# yaml-language-server: $schema=./${schemaFileName(campaign)} （供编辑器补全和检查，请保留此行）`;

type JsonObject = Record<string, unknown>;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Space around a value that `validate` trims (full-width space included). */
const S = '[\\s\\u3000]*';
const oneOf = (alternatives: readonly string[]) => `(?:${alternatives.join('|')})`;

/** A number as text, full-width digits allowed: `3` → `(?:3|３)`. */
const digitsOf = (n: number) => oneOf([...new Set([String(n), String(n).replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))])]);

/** Text that is there: not blank. */
const text = { anyOf: [{ type: 'string', pattern: '[^\\s\\u3000]' }, { type: 'number' }, { type: 'boolean' }] };
const optionalText = { type: ['string', 'number', 'boolean', 'null'] };

/** A count: a whole number ≥ 0 (15 digits at most), as YAML reads it or as text (`"12"`, `12.0`); blank is "not reported". */
const count = (meta: JsonObject) => ({
  ...meta,
  anyOf: [{ type: 'integer', minimum: 0, maximum: 999_999_999_999_999 }, { type: 'null' }, { type: 'string', pattern: `^${S}(?:\\d{1,15}(?:\\.0*)?|~|null|)${S}$` }],
});
/** An amount: ≥ 0 with at most 4 decimals (as text; a number YAML has read is checked by `validate`). */
const amount = (meta: JsonObject) => ({
  ...meta,
  anyOf: [{ type: 'number', minimum: 0, maximum: 999_999_999_999_999 }, { type: 'null' }, { type: 'string', pattern: `^${S}(?:\\d{1,15}(?:\\.\\d{0,4}0*)?|\\.\\d{1,4}0*|~|null|)${S}$` }],
});

/** Month and day of a day that can exist (29 February in every year: a leap year is for `validate`). */
const MONTH_DAY = (sep: string, end = '') =>
  oneOf([
    `0?[13578]${sep}(?:0?[1-9]|[12]\\d|3[01])${end}`,
    `1[02]${sep}(?:0?[1-9]|[12]\\d|3[01])${end}`,
    `0?[469]${sep}(?:0?[1-9]|[12]\\d|30)${end}`,
    `11${sep}(?:0?[1-9]|[12]\\d|30)${end}`,
    `0?2${sep}(?:0?[1-9]|1\\d|2[0-9])${end}`,
  ]);
const TIME = '(?:[01]?\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d)?';
/** The date forms `validate` reads (2024-11-10, 2024/11/10, 2024.11.10, 2024年11月10日, with a time), days that exist. */
const DATE_PATTERN = `^${S}${oneOf([
  `\\d{4}-${MONTH_DAY('-')}(?:[T ]${TIME})?`,
  `\\d{4}/${MONTH_DAY('/')}(?: +${TIME})?`,
  `\\d{4}\\.${MONTH_DAY('\\.')}(?: +${TIME})?`,
  `\\d{4}年${MONTH_DAY('月', '[日号]?')}(?:\\s*(?:[01]?\\d|2[0-3])[:时][0-5]\\d分?)?`,
  // Full-width digits: read the same way by `validate`; only the shape is checked here.
  `(?=[^０-９]*[０-９])[\\d０-９]{4}[-－/／.．年][\\d０-９]{1,2}[-－/／.．月][\\d０-９]{1,2}[日号]?(?:[\\sT\\u3000]+[\\d０-９]{1,2}[:：时][\\d０-９]{2}分?)?`,
])}${S}$`;
const date = (meta: JsonObject, required: boolean) => ({ ...meta, anyOf: [{ type: 'string', pattern: DATE_PATTERN }, ...(required ? [] : [{ type: 'null' }])] });

/** yes/no as `validate` reads it: true/false, 是/否, 已曝光/未曝光, yes/no, y/n (any case), blank. */
const YES_NO = ['true', 'yes', '是', '已曝光', 'y', 'false', 'no', '否', '未曝光', 'n'];
const anyCase = (word: string) => [...word].map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c)).join('');
const yesNo = (meta: JsonObject) => ({ ...meta, anyOf: [{ type: ['boolean', 'null'] }, { type: 'string', pattern: `^${S}${oneOf([...YES_NO.map(anyCase), ''])}${S}$` }] });

/** The title and description the zod schema gave a node, and nothing else. */
function metaOf(node: unknown): JsonObject {
  const { title, description } = (node ?? {}) as JsonObject;
  return { ...(title !== undefined && { title }), ...(description !== undefined && { description }) };
}

/** The nodes z.toJSONSchema makes of the strict schema: the top level's properties and a case's. */
function generatedNodes(campaign: Campaign): { $schema: unknown; properties: Record<string, JsonObject>; caseProps: Record<string, JsonObject> } {
  const generated = z.toJSONSchema(submissionSchemas(campaign).strict, { io: 'input', target: 'draft-07', unrepresentable: 'any' }) as JsonObject;
  const properties = generated.properties as Record<string, JsonObject>;
  const arrayOf = (node: JsonObject) => (node.anyOf as JsonObject[] | undefined)?.find((s) => s.type === 'array') ?? node;
  const caseNode = arrayOf(properties.cases!).items as JsonObject;
  return { $schema: generated.$schema, properties, caseProps: caseNode.properties as Record<string, JsonObject> };
}

/** 32, "32", ３２, 任务32, 第32项, 32.: a known task number in any spelling `validate` reads. */
const taskSpellingOf = (numbers: readonly number[]) => `^${S}(?:任务)?(?:第)?${S}${oneOf(numbers.map(digitsOf))}${S}(?:项|\\.|．)?${S}$`;

/** 填报单位: a department's name, id or alias, with spaces around it allowed. */
function departmentNode(campaign: Campaign, node: JsonObject | undefined): JsonObject {
  const spellings = [...new Set(campaign.departments.flatMap((d) => [d.name, d.id, ...d.aliases]))];
  return { ...metaOf(node), anyOf: [{ type: 'string', enum: spellings }, { type: 'string', pattern: `^${S}${oneOf(spellings.map(escape))}${S}$` }] };
}

/** statistics: a figure per indicator id, offered; its Chinese label (with or without the unit) accepted. */
function statisticsNode(campaign: Campaign, node: JsonObject): JsonObject {
  const figures: Record<string, JsonObject> = {};
  const labelled: Record<string, JsonObject> = {};
  for (const i of campaign.indicators) {
    const figure = (i.kind === 'count' ? count : amount)(metaOf((node.properties as Record<string, JsonObject>)[i.id]));
    figures[i.id] = figure;
    // The Chinese label, with or without its unit, spaces and bracket widths as typed: accepted, not offered (the id is).
    const label = [...i.label].map((c) => `${escape(c)}${S}`).join('');
    labelled[`^${S}${label}(?:[(（]${S}${escape(i.unit)}${S}[)）])?${S}$`] = figure;
  }
  return { ...metaOf(node), type: ['object', 'null'], properties: figures, patternProperties: labelled, additionalProperties: false };
}

/** tasks: a text per task number, offered; every spelling of a known number accepted. */
function tasksNode(node: JsonObject, taskSpelling: string): JsonObject {
  return {
    ...metaOf(node),
    type: ['object', 'null'],
    properties: Object.fromEntries(Object.entries((node.properties ?? {}) as Record<string, JsonObject>).map(([no, task]) => [no, { ...metaOf(task), ...optionalText }])),
    // Every spelling, the plain number too: the YAML language server hands `32:` over as the
    // number 32, which no name in `properties` matches (a fresh file had 29 false errors).
    patternProperties: { [taskSpelling]: optionalText },
    additionalProperties: false,
  };
}

/** cases: a list of cases, each with its four required fields. */
function casesNode(node: JsonObject, caseProps: Record<string, JsonObject>, numbers: number[], taskSpelling: string): JsonObject {
  const item = {
    type: 'object',
    properties: {
      title: { ...metaOf(caseProps.title), ...text },
      task: { ...metaOf(caseProps.task), anyOf: [{ type: 'integer', enum: numbers }, { type: 'string', pattern: taskSpelling }] },
      date: date(metaOf(caseProps.date), true),
      summary: { ...metaOf(caseProps.summary), ...text },
      result: { ...metaOf(caseProps.result), ...optionalText },
      fine: amount(metaOf(caseProps.fine)),
      exposed: yesNo(metaOf(caseProps.exposed)),
    },
    required: ['title', 'task', 'date', 'summary'],
    additionalProperties: false,
  };
  return { ...metaOf(node), anyOf: [{ type: 'array', items: item }, { type: 'null' }] };
}

/** The JSON Schema (draft-07, as older editor extensions expect) of a submission. */
export function submissionJsonSchema(campaign: Campaign): JsonObject {
  const { $schema, properties, caseProps } = generatedNodes(campaign);
  const numbers = campaign.tasks.map((task) => task.no);
  const taskSpelling = taskSpellingOf(numbers);
  return {
    $schema,
    title: `${campaign.title} · 报送文件`,
    description: `《${campaign.table_title}》等报送内容。截止：${campaign.deadline}；汇总单位：${campaign.issuer}。`,
    type: 'object',
    properties: {
      department: departmentNode(campaign, properties.department),
      filled_by: { ...metaOf(properties.filled_by), ...text },
      reviewed_by: { ...metaOf(properties.reviewed_by), ...optionalText },
      leader: { ...metaOf(properties.leader), ...optionalText },
      phone: { ...metaOf(properties.phone), ...text },
      submitted_at: date(metaOf(properties.submitted_at), false),
      statistics: statisticsNode(campaign, properties.statistics!),
      tasks: tasksNode(properties.tasks!, taskSpelling),
      cases: casesNode(properties.cases!, caseProps, numbers, taskSpelling),
      summary: { ...metaOf(properties.summary), ...optionalText },
      summary_file: { ...metaOf(properties.summary_file), ...optionalText },
      materials: { ...metaOf(properties.materials), anyOf: [{ type: 'array', items: text }, { type: 'null' }] },
    },
    required: ['department', 'filled_by', 'phone', 'statistics'],
    // One or the other: validate refuses both.
    not: { type: 'object', properties: { summary: true, summary_file: true }, required: ['summary', 'summary_file'] },
    additionalProperties: false,
  };
}
