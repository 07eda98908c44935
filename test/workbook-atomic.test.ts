import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { writeMergedWorkbook } from '../src/template/write.js';
import { publishFile } from '../src/fs.js';
import { makeStatus, makeSubmission, testCampaign } from './fixtures/templates/helpers.js';

// Make the final rename fail once, as a full disk or a locked file (Excel has it open) would.
const failRename = vi.hoisted(() => ({ on: false }));
// The files created new ('wx'): the temporary files, under the names they really have.
const created = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    rename: async (from: string, to: string) => {
      if (failRename.on) throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
      return real.rename(from, to);
    },
    open: (async (path: string, flags?: string, mode?: number) => {
      if (flags === 'wx') created.push(String(path));
      return real.open(path, flags, mode);
    }) as typeof real.open,
  };
});

describe('writeMergedWorkbook writes atomically', () => {
  const campaign = testCampaign();
  const statuses = [makeStatus(campaign, 'market', 'submitted', makeSubmission('market', { cases_filed: 1 }))];

  it('leaves an existing target untouched and no temp file behind when the write fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-atomic-'));
    const out = join(dir, '汇总.xlsx');
    writeFileSync(out, 'the previous merge');
    failRename.on = true;
    try {
      await expect(writeMergedWorkbook({ campaign, statuses, outPath: out, fillDate: '2024-11-12', force: true })).rejects.toMatchObject({
        code: 'usage/write-failed',
        params: { file: out, reason: '文件正被其他程序占用（例如已在 Excel 或 WPS 中打开），请关闭后重试（EBUSY）' },
      });
    } finally {
      failRename.on = false;
    }
    expect(readFileSync(out, 'utf8')).toBe('the previous merge');
    expect(readdirSync(dir)).toEqual(['汇总.xlsx']);
  });

  it('never replaces an existing target without force, even one made after the check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-atomic-'));
    const out = join(dir, '汇总.xlsx');
    writeFileSync(out, 'made by another merge a moment ago');
    await expect(writeMergedWorkbook({ campaign, statuses, outPath: out, fillDate: '2024-11-12' })).rejects.toMatchObject({ code: 'usage/output-exists' });
    expect(readFileSync(out, 'utf8')).toBe('made by another merge a moment ago');
    expect(readdirSync(dir)).toEqual(['汇总.xlsx']);
  });

  it('replaces the target when the write succeeds, creating its folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-atomic-'));
    const out = join(dir, 'out', '汇总.xlsx');
    created.length = 0;
    await writeMergedWorkbook({ campaign, statuses, outPath: out, fillDate: '2024-11-12' });
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    // Written first under a hidden name beside it (this process's id and a random part), gone once published.
    expect(created).toHaveLength(1);
    expect(dirname(created[0]!)).toBe(join(dir, 'out'));
    expect(basename(created[0]!)).toMatch(new RegExp(`^\\.汇总\\.xlsx\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
    expect(existsSync(created[0]!)).toBe(false);
    expect(readdirSync(join(dir, 'out'))).toEqual(['汇总.xlsx']);
  });

  it('publishes one of two files written to one name at the same moment, and refuses the other', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-atomic-'));
    const out = join(dir, '汇总.xlsx');
    const results = await Promise.allSettled(['first', 'second', 'third'].map((text) => publishFile(out, text)));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected', 'rejected']);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as NodeJS.ErrnoException).code).toBe('EEXIST');
    const winner = ['first', 'second', 'third'][results.findIndex((r) => r.status === 'fulfilled')];
    expect(readFileSync(out, 'utf8')).toBe(winner);
    expect(readdirSync(dir)).toEqual(['汇总.xlsx']);
  });
});
