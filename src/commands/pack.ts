/**
 * `report pack [<submission-file>]`: the whole package for higher authorities — the merged
 * workbook, the 总结 draft and the case compilation as 公文, the pictures and videos, the
 * manifest — as a folder and a zip beside it. Refuses in the same cases as merge.
 */
import { existsSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join, posix, resolve } from 'node:path';
import { DEFAULT_CAMPAIGN, loadCampaign } from '../source/campaign.js';
import type { Campaign, Department } from '../campaign/schema.js';
import { ExitCode } from '../diagnostics.js';
import { districtDocuments, ownDocuments, TABLE_MARK } from '../documents/documents.js';
import { MATERIAL_LIMIT, planMaterials, type MaterialCopy } from '../documents/materials.js';
import { isDocx } from '../source/docx-text.js';
import { resolveBeside } from '../submission/rules.js';
import { buildPackage, settleLeftovers, type PackageDocument } from '../documents/package.js';
import { promptsOf } from '../documents/draft.js';
import { formatSize, isWithin, safeFileName, shownPath } from '../fs.js';
import type { Io } from '../io.js';
import { list, t } from '../messages/index.js';
import { submissionOf, type DepartmentStatus } from '../model.js';
import { officialName } from '../campaign/lookup.js';
import type { OwnUnit } from '../template/plan.js';
import { paint } from '../reporters/style.js';
import { mergeReport, printEvents } from '../reporters/pipeline.js';
import type { Emit } from '../pipeline/events.js';
import { DEFAULT_DIR } from '../pipeline/folder.js';
import { mergeNotes, prepareWorkbook, readyOwnSubmission, readyToMerge, refuseExisting, refuseMissingTemplate, refuseOutput, templateFor, writeMerge, type MergeReady } from '../pipeline/merge.js';
import type { MergeWriteResult, PreparedTemplate } from '../template/write.js';
import type { MergeOptions } from './merge.js';
import { loadHistory, previousFiles } from '../history/load.js';
import { compareRounds } from '../history/compare.js';

/** A department's own table is filled in by it: its official name, its 填表人, 审核人 and phone from its file. */
function ownUnit(department: Department, statuses: readonly DepartmentStatus[]): OwnUnit {
  const submission = submissionOf(statuses.find((s) => s.id === department.id));
  return {
    name: officialName(department),
    ...(submission?.filledBy && { filledBy: submission.filledBy }),
    ...(submission?.reviewedBy && { reviewedBy: submission.reviewedBy }),
    ...(submission?.leader && { leader: submission.leader }),
    ...(submission?.phone && { phone: submission.phone }),
  };
}

/** Each department's 总结 written in Word (summary_file: ….docx), copied unchanged to 各单位总结/<单位>/. */
function summaryCopies(statuses: readonly DepartmentStatus[], sourceOf: (s: DepartmentStatus) => string): MaterialCopy[] {
  return statuses.flatMap((s) => {
    const written = submissionOf(s)?.summaryFile;
    if (!written || !isDocx(written)) return [];
    const where = resolveBeside(sourceOf(s), written);
    const size = where.ok ? statSync(where.path, { throwIfNoEntry: false })?.size : undefined;
    if (!where.ok || size === undefined) return [];
    const base = safeFileName(written.replace(/\\/g, '/').split('/').pop() ?? written);
    return [{ department: s.name, written, from: where.path, to: posix.join('各单位总结', safeFileName(s.name), base), size, renamed: false }];
  });
}

/** As merge's: `out` is the folder the package goes in; `seal`: the 落款 laid out for a seal. */
export type PackOptions = MergeOptions & { seal?: boolean };

/** Where the package goes: `folder` (and folder.zip) under --out, named `name`. */
interface Target {
  folder: string;
  name: string;
}

/** What every step of one pack run shares: the options, the department's own file or the folder, and what prints. */
interface PackRun {
  file: string | undefined;
  options: PackOptions;
  isOwn: boolean;
  dir: string | undefined;
  outDir: string;
  template: string | undefined;
  io: Io;
  emit: Emit;
}

export async function pack(file: string | undefined, options: PackOptions, io: Io): Promise<ExitCode> {
  // The output of record: the campaign is checked afresh, never taken from the cache.
  const campaign = await loadCampaign(options.campaign, { fresh: true });
  const isOwn = file !== undefined && !(await stat(file).catch(() => undefined))?.isDirectory();
  const run: PackRun = {
    file,
    options,
    isOwn,
    dir: isOwn ? undefined : (file ?? options.dir ?? DEFAULT_DIR),
    outDir: resolve(options.out ?? 'out'),
    // The template: --template; else the district's is the campaign's bundled one, a department's own table is built.
    template: isOwn ? options.template : templateFor(campaign, options.template),
    io,
    emit: printEvents(io),
  };
  const started = isOwn ? await startOwn(run, campaign) : await startFolder(run, campaign);
  if (typeof started === 'number') return started;
  const { ready, department, target, prepared } = started;

  const statuses = ready.report.departments;
  const sourceOf = (s: DepartmentStatus) => (isOwn ? resolve(file!) : join(ready.dir, s.files[0] ?? ''));
  const materials = planMaterials(statuses, sourceOf);
  // A lower level's package that no unit claims: its pictures are not in this package, and the list says so.
  for (const f of ready.report.unknownFiles.filter((x) => x.reason === 'package')) materials.problems.push({ department: t('pack/unclaimed-unit'), written: f.file, reason: 'pack/unclaimed-package' });
  if (sayMaterials(materials, options, io) === 'refused') return ExitCode.findings;

  // 总结 written in Word go into the package as they are, beside the draft that quotes them.
  const summaries = summaryCopies(statuses, sourceOf);
  const packed = { ...materials, copies: [...materials.copies, ...summaries], totalBytes: materials.totalBytes + summaries.reduce((sum, c) => sum + c.size, 0) };

  let merged: MergeWriteResult | undefined;
  let drafted: PackageDocument[] = [];
  const comparison = ready.rounds[0] && compareRounds(ready.campaign, statuses, ready.rounds[0]);
  const input = { campaign: ready.campaign, statuses, dataDate: ready.fillDate, ...(comparison && { comparison }) };
  const result = await buildPackage({
    ...input,
    outDir: run.outDir,
    name: target.name,
    materials: packed,
    replace: options.force === true,
    ...(department && { unit: officialName(department) }),
    onCopied: (done, total) => run.emit({ type: 'progress', code: 'ui/progress-copy', params: { done, total } }),
    onCopiedAll: () => run.emit({ type: 'progress-done' }),
    onInterrupt: () => io.stderr(t('pack/interrupted')),
    writeWorkbook: async (path) => (merged = await writeMerge({ ...input, fillDate: ready.fillDate, skipped: ready.skipped, attachmentMark: TABLE_MARK, ...(department && { unit: ownUnit(department, statuses) }) }, path, prepared, options.force, run.emit)),
    documents: async (totals) => {
      const captionOf = (c: MaterialCopy) => submissionOf(statuses.find((s) => s.name === c.department))?.captions?.get(c.written);
      const entries = materials.copies.map((c) => ({ department: c.department, file: c.to, ...(captionOf(c) && { caption: captionOf(c)! }) }));
      const docs = { ...input, totals, materials: entries, ...(options.seal && { seal: true }) };
      return (drafted = department ? ownDocuments(docs, department) : await districtDocuments(docs, (message) => io.stderr(paint.yellow(message))));
    },
  });

  if (merged) for (const note of mergeNotes(merged, merged.secondFile && join(result.folder, basename(merged.secondFile)))) io.stderr(paint.yellow(note));
  sayPacked(io, result, materials.copies.length, merged && mergeReport(ready, merged), comparison);
  sayPrompts(io, drafted);
  return ExitCode.ok;
}

/**
 * Where the package goes, settled before a province's files are read (folder) or as soon as the
 * department is known (own): refused when the template is missing, an output is in the way
 * (without --force) or would be inside what is packed.
 */
function place(run: PackRun, name: string, inputs: readonly (string | undefined)[]): Target | ExitCode {
  const { options, isOwn, emit } = run;
  const missing = refuseMissingTemplate(options.template, emit);
  if (missing !== undefined) return missing;
  settleLeftovers(run.outDir, name);
  const folder = join(run.outDir, name);
  const zip = `${folder}.zip`;
  // A department's package may sit beside its own file; the bureau's never inside the submissions folder.
  for (const p of [folder, zip]) {
    const refused = isOwn ? refuseExisting(p, options.force, emit) : refuseOutput(p, run.dir!, options.force, emit, inputs);
    if (refused !== undefined) return refused;
  }
  const source = resolve(isOwn ? run.file! : run.dir!);
  if (existsSync(folder) && isWithin(folder, source)) {
    run.io.stderr(t('pack/out-contains', { folder: shownPath(folder), dir: shownPath(source) }));
    return ExitCode.usage;
  }
  return { folder, name };
}

/** A run ready to write: the submissions, the department (own package only), where it goes and the template. */
interface Started {
  ready: MergeReady;
  department?: Department;
  target: Target;
  prepared: Promise<PreparedTemplate>;
}

/** A department's own package: its file checked alone, the campaign narrowed to it. */
async function startOwn(run: PackRun, campaign: Campaign): Promise<Started | ExitCode> {
  const { file, options, io } = run;
  if (!existsSync(file!)) {
    io.stderr(t('file/not-found', { path: file! }));
    return ExitCode.usage;
  }
  const own = await readyOwnSubmission(file!, options, campaign, run.emit);
  if (typeof own === 'number') return own;
  // 同比 is the bureau's: a department's own package has none, and says so.
  if (previousFiles(campaign, options).length) io.stderr(paint.yellow(t('history/own-pack')));
  const { department, ...ready } = own;
  const target = place(run, safeFileName(`${campaign.title}（${department.name}）`), inputsOf(run, campaign));
  if (typeof target === 'number') return target;
  // Its table is the narrowed campaign's: made ready only now.
  return { ready, department, target, prepared: prepareWorkbook(ready.campaign, { path: run.template, shown: options.template }) };
}

/** The bureau's package of the whole folder, beside the earlier rounds. */
async function startFolder(run: PackRun, campaign: Campaign): Promise<Started | ExitCode> {
  const { options } = run;
  const target = place(run, safeFileName(campaign.title), inputsOf(run, campaign));
  if (typeof target === 'number') return target;
  // Earlier rounds first: a broken one stops the run at once, and the 同比 sheet's frame needs the period.
  const rounds = await loadHistory(campaign, options);
  // The template is made ready while the folder is read.
  const prepared = prepareWorkbook(campaign, { path: run.template, shown: options.template }, rounds[0]?.period);
  const ready = await readyToMerge({ ...options, dir: run.dir! }, campaign, run.emit, rounds);
  if (typeof ready === 'number') return ready;
  return { ready, target, prepared };
}

/** The files an output must never replace: the template, the campaign, the earlier rounds. */
function inputsOf(run: PackRun, campaign: Campaign): (string | undefined)[] {
  return [run.template, run.options.campaign ?? DEFAULT_CAMPAIGN, ...previousFiles(campaign, run.options)];
}

/** Says what the materials are, which are left out, renamed or of concern; 'refused' when --strict stops the run for one left out. */
function sayMaterials(materials: ReturnType<typeof planMaterials>, options: PackOptions, io: Io): 'refused' | undefined {
  io.stderr(t('pack/materials', { count: materials.copies.length, size: formatSize(materials.totalBytes) }));
  if (materials.problems.length) {
    const reason = (p: (typeof materials.problems)[number]) => t(p.reason, { value: p.written, size: formatSize(p.size ?? 0), limit: formatSize(MATERIAL_LIMIT) });
    io.stderr(paint.yellow.bold(t('pack/left-out')) + '\n' + materials.problems.map((p) => t('pack/left-out-line', { name: p.department, reason: reason(p) })).join('\n'));
    if (options.strict) {
      io.stderr(paint.red.bold(t('pack/strict')));
      return 'refused';
    }
  }
  if (materials.concerns.length)
    io.stderr(paint.yellow.bold(t('pack/material-concerns')) + '\n' + materials.concerns.map((p) => t('pack/material-concern', { name: p.department, reason: t(p.reason, { value: p.written }) })).join('\n'));
  const renamed = materials.copies.filter((c) => c.renamed);
  if (renamed.length) io.stderr(paint.yellow(t('pack/renamed')) + '\n' + renamed.map((c) => t('pack/renamed-line', { name: c.department, value: c.written, to: c.to })).join('\n'));
  return undefined;
}

/** What was written: the folder, the zip, the documents, and merge's report of the table. */
function sayPacked(io: Io, result: Awaited<ReturnType<typeof buildPackage>>, materials: number, report: string[] | undefined, comparison: { period: string; file: string } | undefined): void {
  const documents = result.files.filter((f) => f.path.endsWith('.docx')).map((f) => f.path);
  io.stdout(
    [
      paint.bold(t('pack/done', { folder: shownPath(result.folder) })),
      t('pack/zip', { zip: shownPath(result.zip), size: formatSize(result.zipBytes) }),
      t('pack/contents', { count: result.files.length, documents: list(documents), materials }),
      ...(report ?? []),
      ...(comparison ? [t('history/sheet-added', { period: comparison.period, file: comparison.file })] : []),
    ].join('\n'),
  );
}

/** What only a person can write: said last, where it is seen. */
function sayPrompts(io: Io, drafted: readonly PackageDocument[]): void {
  const prompts = drafted.map((d) => ({ file: d.file, count: promptsOf(d.blocks).length })).filter((d) => d.count > 0);
  const count = prompts.reduce((sum, d) => sum + d.count, 0);
  if (count) io.stderr(paint.yellow.bold(t('pack/prompts', { count, documents: list(prompts.map((d) => t('pack/prompts-in', d))) })));
}
