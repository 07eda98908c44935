import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { writeMergedWorkbook } from '../src/workbook/write.js';
import { makeStatus, makeSubmission, testCampaign } from './fixtures/templates/helpers.js';

// Make the final rename fail once, as a full disk or a locked file (Excel has it open) would.
const failRename = vi.hoisted(() => ({ on: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    rename: async (from: string, to: string) => {
      if (failRename.on) throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
      return real.rename(from, to);
    },
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
      await expect(writeMergedWorkbook({ campaign, statuses, outPath: out, fillDate: '2024-11-12' })).rejects.toMatchObject({
        code: 'usage/write-failed',
        params: { file: out, reason: 'EBUSY: resource busy or locked' },
      });
    } finally {
      failRename.on = false;
    }
    expect(readFileSync(out, 'utf8')).toBe('the previous merge');
    expect(readdirSync(dir)).toEqual(['汇总.xlsx']);
  });

  it('replaces the target when the write succeeds, creating its folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-atomic-'));
    const out = join(dir, 'out', '汇总.xlsx');
    await writeMergedWorkbook({ campaign, statuses, outPath: out, fillDate: '2024-11-12' });
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    expect(readdirSync(join(dir, 'out'))).toEqual(['汇总.xlsx']);
    expect(existsSync(join(dir, 'out', `.汇总.xlsx.${process.pid}.tmp`))).toBe(false);
  });
});
