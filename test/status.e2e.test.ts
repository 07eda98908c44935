/**
 * `report status` end to end (issue 3): the built CLI on fixture folders copied
 * from data/submissions (test/fixtures/status-*), with "now" set by --as-of and
 * file times set by the test on temporary copies.
 */
import { readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync as runCli, runCliJsonAsync as runCliJson, tempCopy, tempDir, type StatusJson } from './helpers/exec.js';
import { CAMPAIGN_FILE, fixture, SAMPLE_SUBMISSIONS } from './helpers/paths.js';
import { edit } from './helpers/submission.js';
import { requireTool } from './helpers/tools.js';
import { snapshotTree } from './helpers/tree.js';

const DEADLINE_MS = Date.parse('2024-11-12T23:59:59+08:00');
const AS_OF = '2024-11-12T18:00';
/** After the deadline: only then can anyone be late (a date after the count is not taken). */
const AFTER = '2024-11-15T09:00';

/** A copy of status-states in which 区委网信办.yaml (no submitted_at) was last saved at `mtime`. */
function statesFolder(mtime = '2024-11-13T07:00:00+08:00'): string {
  const dir = tempCopy(fixture('status-states'));
  const time = new Date(mtime);
  utimesSync(join(dir, '区委网信办.yaml'), time, time);
  return dir;
}

const byId = (json: StatusJson) => Object.fromEntries(json.departments.map((d) => [d.id, d]));

/** A run shared by several tests (made once, on first use). */
function shared<T>(start: () => Promise<T>): () => Promise<T> {
  let run: Promise<T> | undefined;
  return () => (run ??= start());
}

describe.concurrent('one department in each state', () => {
  const dir = statesFolder();
  const jsonRun = shared(() => runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', AFTER]));
  const tableRun = shared(() => runCli(['status', '--dir', dir, '--as-of', AFTER]));

  it('--json gives each state, its files, date and contact; exit 1', async () => {
    const { code, json, stderr } = await jsonRun();
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const d = byId(json);
    expect(json.departments.map((x) => x.id)).toEqual(['market', 'cyberspace', 'culture_tourism', 'police', 'forestry', 'commerce', 'tax']);
    expect(d.market).toMatchObject({ name: '区市场监管局', state: 'submitted', files: ['区市场监管局.yaml'], submittedAt: '2024-11-11', submittedAtSource: 'file', filledBy: '程晓东' });
    expect(d.cyberspace).toMatchObject({ state: 'late', files: ['区委网信办.yaml'], submittedAt: '2024-11-13', submittedAtSource: 'mtime' });
    expect(d.culture_tourism).toMatchObject({ state: 'invalid', files: ['区文旅体局.yaml'], errorCount: 1, submittedAt: null });
    expect(d.police).toMatchObject({ state: 'invalid', files: ['区公安分局.yaml'] }); // broken, known only by its name: not 未报送
    expect(d.forestry).toMatchObject({ state: 'missing', files: [], submittedAt: null, contact: { name: '王静辉', phone: '0559-8510026' } });
    expect(d.commerce).toMatchObject({ state: 'duplicate', files: ['区商务局.yaml', '区商务局（修改稿）.yaml'] });
    expect(d.tax).toMatchObject({ state: 'late', files: ['区税务局.yaml'], submittedAt: '2024-11-14', submittedAtSource: 'file' });
    for (const x of json.departments) expect(x.contact).toEqual({ name: expect.any(String), phone: expect.any(String) });
  });

  it('the table shows every state, what to do and whom to call', async () => {
    const { code, stdout } = await tableRun();
    expect(code).toBe(1);
    const row = (name: string) => stdout.split('\n').find((l) => l.includes(`│ ${name}`))!;
    expect(row('区市场监管局')).toMatch(/│ 已报送\s+│ 区市场监管局\.yaml\s+│ 2024-11-11\s+│ 程晓东\s+│\s+│/);
    expect(row('区委网信办')).toMatch(/│ 逾期报送\s+│ 区委网信办\.yaml\s+│ 2024-11-13（文件修改时间）\s+│ 吴婷婷\s+│ 汪志军 13637201825\s+│/);
    expect(row('区文旅体局')).toMatch(/│ 有错误（1 个错误）\s+│ 区文旅体局\.yaml\s+│ —\s+│ —\s+│ 苏然 13855919947\s+│/);
    expect(row('区公安分局')).toMatch(/│ 有错误（1 个错误）\s+│ 区公安分局\.yaml\s+│ —\s+│ —\s+│ 左敏曾 13955966535\s+│/);
    expect(row('区林业局')).toMatch(/│ 未报送\s+│ —\s+│ —\s+│ —\s+│ 王静辉 0559-8510026\s+│/);
    expect(row('区商务局')).toMatch(/│ 重复\s+│ 区商务局\.yaml\s+│/);
    expect(stdout).toContain('区商务局（修改稿）.yaml');
    expect(row('区税务局')).toMatch(/│ 逾期报送\s+│ 区税务局\.yaml\s+│ 2024-11-14\s+│ 高文静\s+│ 刘清 18955953972\s+│/);
    expect(stdout).toContain('已报送 1，逾期报送 2，有错误 2，重复 1，未报送 1（共 7 个单位）');
    expect(stdout).toContain(`查看错误：report validate ${join(dir, '区文旅体局.yaml')}`);
    expect(stdout).toContain(`查看错误：report validate ${join(dir, '区公安分局.yaml')}`);
    expect(stdout).toContain('多个文件都声明为本单位：区商务局.yaml、区商务局（修改稿）.yaml');
    expect(stdout).toContain('区林业局：未报送，联系人 王静辉，电话 0559-8510026');
  });

  it('a subfolder named like a department (its photos) is not a submission', async () => {
    const { json } = await jsonRun();
    expect(byId(json).forestry!.state).toBe('missing');
    expect(json.unknownFiles.map((f) => f.file)).not.toContain('区林业局');
    expect(json.unknownFiles.map((f) => f.file)).not.toContain('材料');
    expect(json.unknownFiles).toEqual([]); // 区商务局总结.txt belongs to 区商务局.yaml
  });

  it('lists the tasks that no responsible department has written about', async () => {
    const { json } = await jsonRun();
    expect(json.uncoveredTasks.map((t) => t.no)).toEqual([5, 8, 14]);
    expect(json.uncoveredTasks[0]).toEqual({ no: 5, category: '准入关', title: '在线旅游证照核验与低价游整治', departments: ['区文旅体局'] });
    const human = (await tableRun()).stdout;
    expect(human).toContain('尚无责任单位填写落实情况的任务（3 项）：');
    expect(human).toContain('任务8【秩序关】打击网络谣言和“打假治敲”（区公安分局）');
  });

  it('--remind writes a ready-to-send reminder for each department not in', async () => {
    const { code, stdout } = await runCli(['status', '--dir', dir, '--as-of', AS_OF, '--remind']);
    expect(code).toBe(1);
    const parts = stdout.split(/─{40}\n/).slice(1).filter((p) => p.trim() !== '');
    const reminderOf = (name: string) => parts.find((p) => p.startsWith(`${name} `))!;
    for (const [name, contact] of [
      ['区文旅体局', '苏然'],
      ['区公安分局', '左敏曾'],
      ['区林业局', '王静辉'],
      ['区商务局', '杜娓'],
    ]) {
      const text = reminderOf(name!);
      expect(text, name).toBeDefined();
      expect(text).toContain(`${name} ${contact}同志：`);
      expect(text).toContain('《黄山区2024网络市场监管促发展保安全专项行动方案》');
      expect(text).toContain('2024年11月12日 23:59（北京时间）');
      expect(text).toContain('专项行动总结、统计表、图片视频资料、典型案例');
      expect(text).toContain('黄山区市场监督管理局');
    }
    expect(reminderOf('区林业局')).toContain('截至 2024年11月12日 18:00，我局尚未收到贵单位的报送材料，现距截止时间剩余 5 小时 59 分钟');
    const broken = reminderOf('区文旅体局');
    expect(broken).toContain('贵单位报送的文件 区文旅体局.yaml 有 1 处错误');
    expect(broken).toContain('第 10 行：“出动执法人员”里多了单位或文字：请只写数字 218');
    // The quote left open on line 3 (phone: "13955966535), not the end of the file.
    expect(reminderOf('区公安分局')).toContain('贵单位报送的文件 区公安分局.yaml 有 1 处错误');
    expect(reminderOf('区公安分局')).toContain('第 3 行：YAML 格式错误：缺少配对的引号或括号');
    expect(reminderOf('区商务局')).toContain('区商务局.yaml、区商务局（修改稿）.yaml');
    expect(reminderOf('区市场监管局')).toBeUndefined();
  });

  it('--remind --json carries the same reminders', async () => {
    const { json } = await runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', AS_OF, '--remind']);
    expect(json.reminders!.map((r) => r.id).sort()).toEqual(['commerce', 'culture_tourism', 'forestry', 'police']);
    expect(json.reminders!.find((r) => r.id === 'forestry')!.text).toContain('王静辉');
  });
});

describe.concurrent('--json shape', () => {
  it('has the documented keys and only the documented states', async () => {
    const { json } = await runCliJson<StatusJson>(['status', '--dir', statesFolder(), '--as-of', AFTER]);
    expect(json).toEqual(
      expect.objectContaining({
        deadline: '2024-11-12T23:59:59+08:00',
        asOf: '2024-11-15T01:00:00.000Z',
        remainingMs: DEADLINE_MS - Date.parse('2024-11-15T01:00:00.000Z'),
        departments: expect.any(Array),
        unknownFiles: expect.any(Array),
        uncoveredTasks: expect.any(Array),
      }),
    );
    for (const d of json.departments) {
      expect(Object.keys(d)).toEqual(expect.arrayContaining(['id', 'name', 'state', 'files', 'submittedAt', 'contact']));
      expect(['submitted', 'late', 'invalid', 'duplicate', 'missing']).toContain(d.state);
    }
    expect(new Set(json.departments.map((d) => d.state))).toEqual(new Set(['submitted', 'late', 'invalid', 'duplicate', 'missing']));
  });
});

describe.concurrent('file time when there is no submitted_at', () => {
  it('before the deadline: 已报送, marked as the file time', async () => {
    const dir = statesFolder('2024-11-12T20:00:00+08:00');
    const { json } = await runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', '2024-11-12T21:00']);
    expect(byId(json).cyberspace).toMatchObject({ state: 'submitted', submittedAt: '2024-11-12', submittedAtSource: 'mtime' });
    const { stdout } = await runCli(['status', '--dir', dir, '--as-of', '2024-11-12T21:00']);
    expect(stdout).toMatch(/区委网信办\s+│ 已报送\s+│ 区委网信办\.yaml\s+│ 2024-11-12（文件修改时间）/);
  });
});

describe.concurrent('the deadline instant, 2024-11-12 23:59:59 Beijing time: on time; after it: late', () => {
  const LATER = '2024-11-15T09:00';

  /** status-states with 区委网信办.yaml (no submitted_at) saved at `mtime`, checked at LATER. */
  async function savedAt(mtime: string) {
    const dir = statesFolder(mtime);
    // The file system keeps the time to the millisecond (else this test would prove nothing).
    expect(Math.round(statSync(join(dir, '区委网信办.yaml')).mtimeMs)).toBe(Date.parse(mtime));
    const { json } = await runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', LATER]);
    const { stdout } = await runCli(['status', '--dir', dir, '--as-of', LATER]);
    return { cyberspace: byId(json).cyberspace, row: stdout.split('\n').find((l) => l.includes('│ 区委网信办'))! };
  }

  /** 区林业局's submission with this submitted_at, alone in a folder, checked at LATER under the campaign with this deadline. */
  async function writtenAt(submittedAt: string, deadline = '2024-11-12T23:59:59+08:00') {
    const dir = tempDir();
    writeFileSync(join(dir, '区林业局.yaml'), edit('submitted_at: 2024-11-10', `submitted_at: ${submittedAt}`));
    const campaign = join(tempDir(), 'campaign.yaml');
    writeFileSync(campaign, edit('deadline: "2024-11-12T23:59:59+08:00"', `deadline: "${deadline}"`, readFileSync(CAMPAIGN_FILE, 'utf8')));
    const { json } = await runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', LATER, '--campaign', campaign]);
    expect(json.deadline).toBe(deadline);
    return byId(json).forestry!;
  }

  it('a file saved at the deadline itself (no submitted_at) is 已报送', async () => {
    const { cyberspace, row } = await savedAt('2024-11-12T23:59:59.000+08:00');
    expect(cyberspace).toMatchObject({ state: 'submitted', submittedAt: '2024-11-12', submittedAtSource: 'mtime' });
    expect(row).toMatch(/│ 已报送\s+│ 区委网信办\.yaml\s+│ 2024-11-12（文件修改时间）/);
  });

  it('a file saved one millisecond after it is 逾期报送', async () => {
    const { cyberspace, row } = await savedAt('2024-11-12T23:59:59.001+08:00');
    expect(cyberspace).toMatchObject({ state: 'late', submittedAt: '2024-11-12', submittedAtSource: 'mtime' });
    expect(row).toMatch(/│ 逾期报送\s+│ 区委网信办\.yaml\s+│ 2024-11-12（文件修改时间）/);
  });

  // submitted_at is to the minute: the instants it can name near 23:59:59 are 23:59:00 and 00:00:00.
  it('submitted_at 2024-11-12 23:59 (23:59:00) is 已报送', async () => {
    expect(await writtenAt('2024-11-12 23:59')).toMatchObject({ state: 'submitted', submittedAt: '2024-11-12T23:59', submittedAtSource: 'file' });
  });

  it('submitted_at 2024-11-13 (a date alone is its start, 00:00:00) is 逾期报送', async () => {
    expect(await writtenAt('2024-11-13')).toMatchObject({ state: 'late', submittedAt: '2024-11-13', submittedAtSource: 'file' });
  });

  // A campaign whose deadline is on a whole minute: submitted_at can name the instant itself.
  it('submitted_at equal to a deadline of 18:00:00 is 已报送', async () => {
    expect((await writtenAt('2024-11-12 18:00', '2024-11-12T18:00:00+08:00')).state).toBe('submitted');
  });

  it('submitted_at one minute after a deadline of 18:00:00 is 逾期报送', async () => {
    expect((await writtenAt('2024-11-12 18:01', '2024-11-12T18:00:00+08:00')).state).toBe('late');
  });
});

describe.concurrent('the deadline, in Beijing time', () => {
  const dir = tempCopy(fixture('status-all-in'));

  it('before it: 剩余 … and the milliseconds left', async () => {
    const { stdout } = await runCli(['status', '--dir', dir, '--as-of', '2024-11-10T12:00']);
    expect(stdout).toContain('截止时间：2024年11月12日 23:59（北京时间）　统计时间：2024年11月10日 12:00　剩余 2 天 11 小时');
    const { json } = await runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', '2024-11-10T12:00']);
    expect(json.remainingMs).toBe(DEADLINE_MS - Date.parse('2024-11-10T12:00:00+08:00'));
  });

  it('on the day: hours and minutes', async () => {
    expect((await runCli(['status', '--dir', dir, '--as-of', '2024-11-12 18:00'])).stdout).toContain('剩余 5 小时 59 分钟');
  });

  it('after it: 已逾期 … and a negative remainingMs', async () => {
    const { stdout } = await runCli(['status', '--dir', dir, '--as-of', '2024-11-15T09:00']);
    expect(stdout).toContain('统计时间：2024年11月15日 09:00　已逾期 2 天 9 小时');
    const { json } = await runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', '2024-11-15T09:00']);
    expect(json.remainingMs).toBe(DEADLINE_MS - Date.parse('2024-11-15T09:00:00+08:00'));
    expect(json.remainingMs).toBeLessThan(0);
  });

  it('accepts an instant with an offset', async () => {
    const { json } = await runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', '2024-11-12T05:00-05:00']);
    expect(json.asOf).toBe('2024-11-12T10:00:00.000Z');
  });

  it('gives the same result under TZ=America/New_York and TZ=Asia/Shanghai', async () => {
    const states = statesFolder('2024-11-13T07:00:00+08:00'); // 12 November, 18:00 in New York
    const run = (TZ: string) => runCli(['status', '--dir', states, '--as-of', '2024-11-13T08:00', '--json', '--remind'], { env: { TZ } });
    const [shanghai, newYork] = await Promise.all([run('Asia/Shanghai'), run('America/New_York')]);
    expect(newYork.stdout).toBe(shanghai.stdout);
    expect(JSON.parse(newYork.stdout)).toEqual(JSON.parse(shanghai.stdout));
    const json = JSON.parse(shanghai.stdout) as StatusJson;
    expect(json.asOf).toBe('2024-11-13T00:00:00.000Z');
    expect(byId(json).cyberspace).toMatchObject({ state: 'late', submittedAt: '2024-11-13' });
    const human = async (TZ: string) => (await runCli(['status', '--dir', states, '--as-of', '2024-11-13T08:00'], { env: { TZ } })).stdout;
    expect(await human('America/New_York')).toBe(await human('Asia/Shanghai'));
    expect(await human('UTC')).toContain('统计时间：2024年11月13日 08:00　已逾期 0 天 8 小时');
  });
});

describe.concurrent('files that are not submissions', () => {
  it('are listed with the reason, and do not keep the status from being complete', async () => {
    const { code, json } = await runCliJson<StatusJson>(['status', '--dir', fixture('status-all-in'), '--as-of', AFTER]);
    expect(code).toBe(0);
    expect(json.departments.map((d) => d.state)).toEqual(['submitted', 'submitted', 'submitted', 'submitted', 'submitted', 'submitted', 'late']);
    expect(json.unknownFiles).toEqual(
      expect.arrayContaining([
        { file: '说明.txt', reason: 'not-yaml' },
        { file: '统计表.docx', reason: 'not-yaml' },
        { file: '会议通知.yaml', reason: 'not-submission' },
        { file: '区环保局.yaml', reason: 'unknown-department' },
      ]),
    );
    expect(json.unknownFiles).toHaveLength(4); // not 区商务局总结.txt, not the 材料 folder
    expect(json.uncoveredTasks).toEqual([]);
  });

  it("do not include a broken submission's own summary file", async () => {
    const dir = tempCopy(SAMPLE_SUBMISSIONS);
    const file = join(dir, '区商务局.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^(\s+inspectors:).*$/m, '$1 十二'));
    const { json } = await runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', AS_OF]);
    expect(json.departments.find((d) => d.id === 'commerce')!.state).toBe('invalid');
    expect(json.unknownFiles).toEqual([]);
  });

  it('are shown in the table output', async () => {
    const { stdout } = await runCli(['status', '--dir', fixture('status-all-in'), '--as-of', AS_OF]);
    expect(stdout).toContain('全部单位均已报送。');
    expect(stdout).toContain('文件夹中无法归属的文件：');
    expect(stdout).toContain('说明.txt（不是报送文件：报送文件应为 .yaml 或 .xlsx）');
    expect(stdout).toContain('统计表.docx（不是报送文件：报送文件应为 .yaml 或 .xlsx）');
    expect(stdout).toContain('会议通知.yaml（不是报送文件）');
    expect(stdout).toContain('区环保局.yaml（未写明或写错了填报单位）');
  });
});

describe.concurrent('exit status and usage', () => {
  it('0 when every department is in (逾期报送 counts as in)', async () => {
    expect((await runCli(['status', '--dir', fixture('status-all-in'), '--as-of', '2024-11-15'])).code).toBe(0);
  });

  it('1 for the bundled samples (区林业局 missing, 区税务局 late), from the default folder', async () => {
    const { code, json } = await runCliJson<StatusJson>(['status', '--as-of', AFTER]);
    expect(code).toBe(1);
    expect(byId(json).forestry!.state).toBe('missing');
    expect(byId(json).tax!.state).toBe('late');
    expect(json.departments.filter((d) => d.state === 'submitted')).toHaveLength(5);
  });

  it.each([
    ['a --dir that does not exist', ['--dir', '没有这个文件夹'], /找不到文件或文件夹：没有这个文件夹/],
    ['a --dir that is a file', ['--dir', join(SAMPLE_SUBMISSIONS, '区商务局.yaml')], /不是文件夹/],
    ['a bad --as-of', ['--dir', SAMPLE_SUBMISSIONS, '--as-of', '2024-11-31'], /--as-of 的时间无法识别：“2024-11-31”/],
  ])('2 for %s, with one clear line', async (_, args, message) => {
    const { code, stdout, stderr } = await runCli(['status', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe.concurrent('same input handling as validate', () => {
  it('reads a GBK submission (Notepad "ANSI")', async () => {
    const { json } = await runCliJson<StatusJson>(['status', '--dir', fixture('status-gbk'), '--as-of', AS_OF]);
    expect(byId(json).forestry).toMatchObject({ state: 'submitted', filledBy: '王静辉', files: ['区林业局.yaml'] });
  });

  it.skipIf(requireTool('symlinks'))('one unreadable file does not hide the others', async () => {
    const dir = tempCopy(fixture('status-all-in'));
    writeFileSync(join(dir, '区公安分局.yaml'), Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(32)])); // a renamed Word file
    rmSync(join(dir, '区林业局.yaml'));
    symlinkSync(join(dir, '已删除.yaml'), join(dir, '区林业局.yaml')); // points nowhere: cannot be read
    const { code, json, stderr } = await runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', AFTER, '--remind']);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const d = byId(json);
    expect(d.police).toMatchObject({ state: 'invalid', files: ['区公安分局.yaml'], errorCount: 1 });
    expect(d.forestry).toMatchObject({ state: 'invalid', files: ['区林业局.yaml'], errorCount: 1 });
    for (const id of ['market', 'cyberspace', 'culture_tourism', 'commerce']) expect(d[id]!.state).toBe('submitted');
    expect(d.tax!.state).toBe('late');
    expect(json.reminders!.find((r) => r.id === 'police')!.text).toContain('不是文本文件');
  });

  it('a big folder (checked on worker threads) gives the same states', async () => {
    const dir = tempCopy(fixture('status-states'));
    const time = new Date('2024-11-13T07:00:00+08:00');
    utimesSync(join(dir, '区委网信办.yaml'), time, time);
    const small = (await runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', AS_OF])).json;
    const notice = readFileSync(fixture('status-all-in', '会议通知.yaml'));
    for (let i = 1; i <= 60; i++) writeFileSync(join(dir, `会议通知${String(i).padStart(2, '0')}.yaml`), notice);
    const big = await runCliJson<StatusJson>(['status', '--dir', dir, '--as-of', AS_OF]);
    expect(big.code).toBe(1);
    expect(big.json.departments).toEqual(small.departments);
    expect(big.json.uncoveredTasks).toEqual(small.uncoveredTasks);
    expect(big.json.unknownFiles).toHaveLength(60);
    expect(big.json.unknownFiles.every((f) => f.reason === 'not-submission')).toBe(true);
  });

  it('never changes the submissions it reads, nor anything else in the folder', async () => {
    const dir = tempCopy(fixture('status-all-in'));
    const before = snapshotTree(dir);
    expect(before.size).toBe(19); // 9 YAML files, 3 others, 材料 with 2 folders of 2 pictures each
    const { code } = await runCli(['status', '--dir', dir, '--as-of', AS_OF, '--remind']);
    expect(code).toBe(0);
    expect(snapshotTree(dir)).toEqual(before);
  });
});
