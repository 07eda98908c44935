/** computeStatus is pure: files, the campaign and "now" in, states out. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/campaign/schema.js';
import { hasErrors } from '../../src/diagnostics.js';
import { setLang } from '../../src/messages/index.js';
import type { CheckedFile } from '../../src/model.js';
import { reminders, statusJson } from '../../src/reporters/status.js';
import { claimedDepartment, computeStatus, isComplete } from '../../src/status/status.js';
import { checkSubmission } from '../../src/submission/check.js';
import { OWN_TASKS, loadTestCampaign } from '../helpers/submission.js';

let campaign: Campaign;
beforeAll(async () => {
  setLang('zh');
  campaign = await loadTestCampaign();
});

const BEFORE = new Date('2024-11-10T12:00:00+08:00');
const AFTER = new Date('2024-11-15T09:00:00+08:00');
const DEADLINE_MS = Date.parse('2024-11-12T23:59:59+08:00');

/** A submission for a department, covering the given tasks. */
function submissionText(department: string, tasks: number[], extra: { submittedAt?: string | null } = {}): string {
  const submittedAt = extra.submittedAt === undefined ? '2024-11-10' : extra.submittedAt;
  return [
    `department: ${department}`,
    'filled_by: 张伟',
    'phone: 13800000000',
    ...(submittedAt === null ? [] : [`submitted_at: ${submittedAt}`]),
    'statistics:',
    '  inspectors: 10',
    'tasks:',
    ...tasks.map((no) => `  ${no}: 已完成任务${no}。`),
    'summary: 工作总结。',
    '',
  ].join('\n');
}

/** What checkFile would produce for a file of this name and text. */
function checked(name: string, text: string, mtimeMs = Date.parse('2024-11-09T10:00:00+08:00')): CheckedFile {
  const result = checkSubmission(text, { campaign, file: `/nowhere/${name}`, now: BEFORE });
  const file: CheckedFile = { file: name, diagnostics: result.diagnostics, ok: !hasErrors(result.diagnostics), mtimeMs, source: text };
  if (result.department) file.department = result.department;
  if (result.brief) file.brief = result.brief;
  if (result.isForeign) file.isForeign = true;
  return file;
}

const allIn = () => Object.entries(OWN_TASKS).map(([name, tasks]) => checked(`${name}.yaml`, submissionText(name, [...tasks, 3, 28, 34])));
const state = (report: ReturnType<typeof computeStatus>, id: string) => report.departments.find((d) => d.id === id)!;

describe('computeStatus', () => {
  it('lists every department of the campaign, in order, with its contact', () => {
    const report = computeStatus(campaign, [], [], BEFORE);
    expect(report.departments.map((d) => d.name)).toEqual(['区市场监管局', '区委网信办', '区文旅体局', '区公安分局', '区林业局', '区商务局', '区税务局']);
    expect(report.departments.every((d) => d.state === 'missing' && d.files.length === 0)).toBe(true);
    expect(state(report, 'forestry').contact).toEqual({ name: '王静辉', phone: '0559-8510026' });
    expect(report.counts).toEqual({ submitted: 0, late: 0, invalid: 0, duplicate: 0, missing: 7 });
    expect(isComplete(report)).toBe(false);
  });

  it('is complete when every department is in, and shows who was late', () => {
    const files = allIn();
    files[6] = checked('区税务局.yaml', submissionText('区税务局', [15], { submittedAt: '2024-11-14' }));
    const report = computeStatus(campaign, files, [], AFTER);
    expect(report.counts).toEqual({ submitted: 6, late: 1, invalid: 0, duplicate: 0, missing: 0 });
    expect(state(report, 'tax')).toMatchObject({ state: 'late', submittedAt: '2024-11-14', submittedAtSource: 'file', filledBy: '张伟' });
    expect(isComplete(report)).toBe(true);
    expect(report.uncoveredTasks).toEqual([]);
  });

  it('never takes a submitted_at later than the count: doubtful, judged by the file time, never 逾期 before the deadline', () => {
    const files = allIn();
    files[6] = checked('区税务局.yaml', submissionText('区税务局', [15], { submittedAt: '2024-11-14' }));
    // Counted on 11-10: the date cannot be right (the file's time, 11-09, says when it came), and nothing is late before the deadline.
    const before = computeStatus(campaign, files, [], BEFORE);
    expect(before.counts).toEqual({ submitted: 7, late: 0, invalid: 0, duplicate: 0, missing: 0 });
    expect(state(before, 'tax')).toMatchObject({ state: 'submitted', submittedAt: '2024-11-09', submittedAtSource: 'mtime', submittedAtDoubt: '2024-11-14' });
    // With a file time after the count too, the time is not known: 时间不详, not 逾期.
    const copiedLater = { ...files[6]!, mtimeMs: Date.parse('2024-11-11T09:00:00+08:00') };
    const unknown = state(computeStatus(campaign, [...files.slice(0, 6), copiedLater], [], BEFORE), 'tax');
    expect(unknown).toMatchObject({ state: 'submitted', submittedAtSource: 'unknown', submittedAtDoubt: '2024-11-14' });
    expect(unknown.submittedAt).toBeUndefined();
    // Counted after the deadline, with a file time before the count: that time decides, and says so.
    const saved = { ...files[6]!, mtimeMs: Date.parse('2024-11-13T09:00:00+08:00') };
    const after = computeStatus(campaign, [...files.slice(0, 6), saved], [], new Date('2024-11-13T12:00:00+08:00'));
    expect(state(after, 'tax')).toMatchObject({ state: 'late', submittedAt: '2024-11-13', submittedAtSource: 'mtime', submittedAtDoubt: '2024-11-14' });
  });

  it('counts a submission on the deadline day (or at 23:30) as on time and the next day as late', () => {
    const at = (submittedAt: string) => state(computeStatus(campaign, [checked('区林业局.yaml', submissionText('区林业局', [32], { submittedAt }))], [], AFTER), 'forestry').state;
    expect(at('2024-11-12')).toBe('submitted');
    expect(at('2024-11-12 23:30')).toBe('submitted');
    expect(at('2024-11-13')).toBe('late');
  });

  describe('at the deadline instant, 2024-11-12 23:59:59 Beijing time: on time; after it: late', () => {
    const forestry = (file: CheckedFile, c: Campaign = campaign) => state(computeStatus(c, [file], [], AFTER), 'forestry');
    const saved = (mtimeMs: number) => checked('区林业局.yaml', submissionText('区林业局', [32], { submittedAt: null }), mtimeMs);
    const written = (submittedAt: string) => checked('区林业局.yaml', submissionText('区林业局', [32], { submittedAt }));

    it('a file saved at the deadline itself (no submitted_at) is 已报送', () => {
      expect(forestry(saved(DEADLINE_MS))).toMatchObject({ state: 'submitted', submittedAt: '2024-11-12', submittedAtSource: 'mtime' });
    });

    it('a file saved one millisecond after it is 逾期报送', () => {
      expect(forestry(saved(DEADLINE_MS + 1))).toMatchObject({ state: 'late', submittedAt: '2024-11-12', submittedAtSource: 'mtime' });
    });

    // File systems keep finer times (utimes itself sets 23:59:59.001 as 23:59:59.000999927).
    it('a file saved less than a millisecond after it is 逾期报送', () => {
      expect(forestry(saved(DEADLINE_MS + 0.5)).state).toBe('late');
    });

    // submitted_at is to the minute: the instants it can name near 23:59:59 are 23:59:00 and 00:00:00.
    it('submitted_at 2024-11-12 23:59 is 23:59:00, before the deadline: 已报送', () => {
      expect(forestry(written('2024-11-12 23:59'))).toMatchObject({ state: 'submitted', submittedAt: '2024-11-12T23:59', submittedAtSource: 'file' });
    });

    it('submitted_at 2024-11-13 is its start, 00:00:00, one second after: 逾期报送', () => {
      expect(forestry(written('2024-11-13'))).toMatchObject({ state: 'late', submittedAt: '2024-11-13', submittedAtSource: 'file' });
      expect(forestry(written('2024-11-13 00:00')).state).toBe('late');
    });

    // A deadline on a whole minute is one submitted_at can name exactly.
    const at18 = () => ({ ...campaign, deadline: '2024-11-12T18:00:00+08:00' });

    it('submitted_at equal to a deadline of 18:00 is 已报送, 18:01 is 逾期报送', () => {
      expect(forestry(written('2024-11-12 18:00'), at18()).state).toBe('submitted');
      expect(forestry(written('2024-11-12 18:01'), at18()).state).toBe('late');
    });

    it('a date alone equal to a midnight deadline is 已报送 (its start is the deadline)', () => {
      const midnight = { ...campaign, deadline: '2024-11-13T00:00:00+08:00' };
      expect(forestry(written('2024-11-13'), midnight).state).toBe('submitted');
      expect(forestry(written('2024-11-13 00:01'), midnight).state).toBe('late');
    });
  });

  it('uses the file time when there is no submitted_at, and says so', () => {
    const text = submissionText('区林业局', [32], { submittedAt: null });
    const late = computeStatus(campaign, [checked('区林业局.yaml', text, Date.parse('2024-11-13T07:00:00+08:00'))], [], AFTER);
    expect(state(late, 'forestry')).toMatchObject({ state: 'late', submittedAt: '2024-11-13', submittedAtSource: 'mtime' });
    const onTime = computeStatus(campaign, [checked('区林业局.yaml', text, Date.parse('2024-11-12T20:00:00+08:00'))], [], AFTER);
    expect(state(onTime, 'forestry')).toMatchObject({ state: 'submitted', submittedAt: '2024-11-12', submittedAtSource: 'mtime' });
  });

  it('marks a file with errors as invalid, with the number of errors', () => {
    const text = submissionText('区林业局', [32]).replace('  inspectors: 10', '  inspectors: 10人次\n  fines: -1');
    const report = computeStatus(campaign, [checked('区林业局.yaml', text)], [], BEFORE);
    expect(state(report, 'forestry')).toMatchObject({ state: 'invalid', errorCount: 2, files: ['区林业局.yaml'] });
  });

  it('claims a broken file by its department line, else by its file name, never as missing', () => {
    const broken = checked('区公安分局.yaml', 'filled_by: 陈浩然\nphone: "13955966535\n');
    expect(broken.ok).toBe(false);
    expect(claimedDepartment(broken, campaign)).toBe('police');
    const byLine = checked('随便.yaml', 'department: 区林业局\nstatistics：[\n');
    expect(claimedDepartment(byLine, campaign)).toBe('forestry');
    const report = computeStatus(campaign, [broken, byLine], [], BEFORE);
    expect(state(report, 'police').state).toBe('invalid');
    expect(state(report, 'forestry').state).toBe('invalid');
  });

  it('never picks one of two files claiming a department: duplicate, naming both', () => {
    const files = [checked('区商务局.yaml', submissionText('区商务局', [6, 13, 17])), checked('区商务局（修改稿）.yaml', submissionText('区商务局', [6, 13, 17]))];
    const report = computeStatus(campaign, files, [], BEFORE);
    expect(state(report, 'commerce')).toMatchObject({ state: 'duplicate', files: ['区商务局.yaml', '区商务局（修改稿）.yaml'] });
  });

  it('lists files it cannot attribute, with the reason', () => {
    const files = [checked('会议通知.yaml', 'title: 推进会\ndate: 2024-10-08\n'), checked('区环保局.yaml', submissionText('区环保局', []))];
    const report = computeStatus(campaign, files, [{ file: '说明.txt', reason: 'not-yaml' }, { file: '统计表.docx', reason: 'not-yaml' }], BEFORE);
    expect(report.unknownFiles).toEqual(
      expect.arrayContaining([
        { file: '说明.txt', reason: 'not-yaml' },
        { file: '统计表.docx', reason: 'not-yaml' },
        { file: '会议通知.yaml', reason: 'not-submission' },
        { file: '区环保局.yaml', reason: 'unknown-department' },
      ]),
    );
    expect(report.unknownFiles).toHaveLength(4);
  });

  it("does not list a submission's own summary_file as a stray file", () => {
    const file = checked('区商务局.yaml', submissionText('区商务局', [6, 13, 17]));
    file.summaryFile = '区商务局总结.txt';
    expect(computeStatus(campaign, [file], [{ file: '区商务局总结.txt', reason: 'not-yaml' }, { file: '说明.txt', reason: 'not-yaml' }], BEFORE).unknownFiles).toEqual([{ file: '说明.txt', reason: 'not-yaml' }]);
  });

  it('gives the time left before the deadline and a negative value after', () => {
    expect(computeStatus(campaign, [], [], BEFORE)).toMatchObject({ remainingMs: DEADLINE_MS - BEFORE.getTime(), asOf: BEFORE.toISOString(), deadline: '2024-11-12T23:59:59+08:00' });
    expect(computeStatus(campaign, [], [], AFTER).remainingMs).toBe(DEADLINE_MS - AFTER.getTime());
    expect(computeStatus(campaign, [], [], AFTER).remainingMs).toBeLessThan(0);
  });

  it('lists tasks no responsible department has written about yet', () => {
    const files = allIn().filter((f) => !f.file.startsWith('区文旅体局') && !f.file.startsWith('区税务局'));
    const report = computeStatus(campaign, files, [], BEFORE);
    expect(report.uncoveredTasks).toEqual([
      { no: 5, category: '准入关', title: '在线旅游证照核验与低价游整治', departments: ['区文旅体局'] },
      { no: 15, category: '秩序关', title: '平台经营者涉税联合监管', departments: ['区税务局'] },
    ]);
  });

  it('counts tasks for 各有关单位 as covered by any department', () => {
    const report = computeStatus(campaign, [checked('区林业局.yaml', submissionText('区林业局', [32, 3]))], [], BEFORE);
    const uncovered = report.uncoveredTasks.map((t) => t.no);
    expect(uncovered).not.toContain(3);
    expect(uncovered).toContain(28);
    expect(report.uncoveredTasks.find((t) => t.no === 28)!.departments).toEqual(['各有关单位']);
  });

  it('is the same whatever the time zone of the machine', () => {
    const files = [checked('区林业局.yaml', submissionText('区林业局', [32], { submittedAt: null }), Date.parse('2024-11-13T07:00:00+08:00'))];
    const tz = process.env.TZ;
    try {
      process.env.TZ = 'America/New_York';
      const ny = JSON.stringify(statusJson(computeStatus(campaign, files, [], AFTER), campaign));
      process.env.TZ = 'Asia/Shanghai';
      const sh = JSON.stringify(statusJson(computeStatus(campaign, files, [], AFTER), campaign));
      expect(ny).toBe(sh);
      expect(ny).toContain('"submittedAt":"2024-11-13"');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
});

describe('reminders', () => {
  it('writes one for each department that is missing, broken or duplicated', () => {
    const files = [
      checked('区市场监管局.yaml', submissionText('区市场监管局', OWN_TASKS['区市场监管局']!)),
      checked('区文旅体局.yaml', submissionText('区文旅体局', [5, 6, 30]).replace('  inspectors: 10', '  inspectors: 10人次')),
      checked('区商务局.yaml', submissionText('区商务局', [6, 13, 17])),
      checked('区商务局2.yaml', submissionText('区商务局', [6, 13, 17])),
    ];
    const report = computeStatus(campaign, files, [], BEFORE);
    const texts = reminders(report, campaign, '报送', BEFORE);
    expect(texts.map((r) => r.id).sort()).toEqual(['commerce', 'culture_tourism', 'cyberspace', 'forestry', 'police', 'tax'].sort());
    for (const r of texts) {
      expect(r.text).toContain(campaign.title);
      expect(r.text).toContain('2024年11月12日 23:59');
      expect(r.text).toContain('专项行动总结、统计表、图片视频资料、典型案例');
    }
    expect(texts.find((r) => r.id === 'forestry')!.text).toContain('王静辉');
    const broken = texts.find((r) => r.id === 'culture_tourism')!.text;
    expect(broken).toContain('苏然');
    expect(broken).toContain('区文旅体局.yaml');
    expect(broken).toMatch(/第 6 行：.*人次/);
    expect(texts.find((r) => r.id === 'commerce')!.text).toContain('区商务局2.yaml');
  });
});
