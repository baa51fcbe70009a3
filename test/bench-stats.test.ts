// bench/stats checks that every figure /stats reads from the rollups equals counting the rows
// (issue 20): run small, it passes; with one rollup row damaged it must fail loudly, exit 1.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const SMALL = { BENCH_HAZARDS: '3000', BENCH_INSPECTIONS: '600', BENCH_ENFORCEMENT: '300', BENCH_ENTERPRISES: '120', BENCH_RUNS: '20', BENCH_BASELINE_RUNS: '1' };

function bench(env: Record<string, string>) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    execFile('npx', ['tsx', 'bench/stats.ts'], { cwd: root, env: { ...process.env, ...SMALL, ...env }, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

describe('bench/stats consistency check', () => {
  it('passes when the rollups equal the rows, and fails loudly when one rollup row is off by one', async () => {
    const good = await bench({});
    expect(good.out).toContain('every figure of every case equals counting the rows ✓');
    expect(good.code).toBe(0);
    const bad = await bench({ BENCH_STATS_DAMAGE: '1' });
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/BENCH FAILED: \/stats 今年 .*: total from the rollups ≠ counting the rows/);
    expect(bad.out).not.toContain('every figure of every case equals counting the rows ✓');
  }, 240_000);
});
