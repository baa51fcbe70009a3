import { describe, expect, it } from 'vitest';
import { SHORT, formatFigures, runChaos } from '../scripts/chaos/chaos.ts';

// The short chaos run (npm run chaos is the long one, figures in RELIABILITY.md): real server
// processes on one libSQL file against the fake Lark — kill -9 while the inbox is being worked,
// two instances, and a fuzz sample over every command (the fault round is in the long run only). The seed
// is printed, so a failure is repeated with `npm run chaos -- --short --seed N`.

describe('chaos (short)', () => {
  it('loses, duplicates and crashes nothing, and answers every fuzzed command', { timeout: 180_000 }, async () => {
    const seed = Math.floor(Math.random() * 1e9);
    const f = await runChaos({ ...SHORT, seed });
    const report = `seed ${seed} (npm run chaos -- --short --seed ${seed})\n${formatFigures(f)}`;
    console.log(report);
    for (const r of f.rounds) {
      expect(r.acknowledged, `${r.scenario}\n${report}`).toBe(r.sent);
      expect(r.lost, `${r.scenario}\n${report}`).toBe(0);
      expect(r.duplicated, `${r.scenario}\n${report}`).toBe(0);
      expect(r.fiveXx, `${r.scenario}\n${report}`).toBe(0);
    }
    expect(f.fuzz.messages).toBe(SHORT.fuzzMessages);
    expect(f.fuzz.fiveXx, report).toBe(0);
    expect(f.fuzz.unanswered, report).toBe(0);
    expect(f.fuzz.crashes, report).toBe(0);
    expect(f.crashes.unexpectedExits, report).toBe(0);
  });
});
