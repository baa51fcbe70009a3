import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { jobs } from '../jobs/index.ts';
import { toUtcCron, workerCrons } from '../src/jobs/utc-cron.ts';
import { wranglerCrons, wranglerTz } from '../src/jobs/wrangler-toml.ts';
import { cronMatches, parseCron } from '../src/jobs/cron.ts';

const toml = readFileSync(new URL('../wrangler.toml', import.meta.url), 'utf8');

describe('wrangler.toml', () => {
  it('has a cron trigger for every job, converted to UTC (npm run crons -- --write fixes drift)', () => {
    expect(wranglerCrons(toml)).toEqual(workerCrons(jobs, wranglerTz(toml)));
  });

  it('binds D1 to the same migrations folder drizzle-kit writes', () => {
    expect(toml).toMatch(/binding = "DB"/);
    expect(toml).toMatch(/migrations_dir = "migrations"/);
    expect(toml).toMatch(/main = "src\/worker.ts"/);
  });
});

describe('toUtcCron', () => {
  it('shifts local hours to UTC, moving the weekday when it crosses midnight', () => {
    expect(toUtcCron('30 8 * * *', 'Asia/Shanghai')).toBe('30 0 * * *');
    expect(toUtcCron('0 9 * * 1', 'Asia/Shanghai')).toBe('0 1 * * 1');
    expect(toUtcCron('0 3 * * 1', 'Asia/Shanghai')).toBe('0 19 * * 0');
    expect(toUtcCron('5 * * * *', 'Asia/Shanghai')).toBe('5 * * * *');
  });

  it('fires at the same instants as the local cron, over a whole week', () => {
    const tz = 'Asia/Shanghai';
    for (const job of jobs) {
      const local = parseCron(job.cron);
      const utc = parseCron(toUtcCron(job.cron, tz));
      for (let t = Date.UTC(2026, 10, 30); t < Date.UTC(2026, 11, 7); t += 60_000) {
        const d = new Date(t);
        if (cronMatches(local, d, tz) !== cronMatches(utc, d, 'UTC')) throw new Error(`${job.name} differs at ${d.toISOString()}`);
      }
    }
  });

  it('refuses zones whose offset changes (daylight saving)', () => {
    expect(() => toUtcCron('0 9 * * *', 'Europe/Berlin')).toThrow(/fixed/);
  });
});
