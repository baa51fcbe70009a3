import { describe, expect, it } from 'vitest';
import { SHORT, formatFigures, problems, runChaos } from '../scripts/chaos/chaos.ts';

// The short chaos run (npm run chaos is the long one, figures in RELIABILITY.md): real server
// processes on one libSQL file against the fake Lark — kill -9 while the inbox is being worked,
// two instances started right after it, 30% of Lark's answers failing (500, app-wide 429,
// timeout), and a fuzz sample over every command. The seed is printed, so a failure is repeated
// with `npm run chaos -- --short --seed N`.

describe('chaos (short)', () => {
  it('loses, duplicates and crashes nothing, honours the app-wide limit, and answers every fuzzed command', { timeout: 180_000 }, async () => {
    const seed = Math.floor(Math.random() * 1e9);
    const f = await runChaos({ ...SHORT, seed });
    const report = `seed ${seed} (npm run chaos -- --short --seed ${seed})\n${formatFigures(f)}`;
    console.log(report);
    expect(f.rounds.map((r) => r.scenario)).toEqual(['kill -9 during processing', 'two instances on one database file', '30% of Lark calls fail (500 / 429 / timeout)']);
    for (const r of f.rounds) {
      expect(r.acknowledged, `${r.scenario}\n${report}`).toBe(r.sent);
      expect(r.lost, `${r.scenario}\n${report}`).toBe(0);
      expect(r.duplicated, `${r.scenario}\n${report}`).toBe(0);
      expect(r.fiveXx, `${r.scenario}\n${report}`).toBe(0);
      expect(r.answeredOnce, `${r.scenario}\n${report}`).toBe(r.sent);
    }
    const faults = f.rounds[2].extra!;
    // Every failure kind happened, and at least one 429 came back while other chats had replies due.
    expect(faults.injected500, report).toBeGreaterThan(0);
    expect(faults.injected429, report).toBeGreaterThan(0);
    expect(faults.injectedTimeouts, report).toBeGreaterThan(0);
    // No call begun inside an app-wide reset window the server had been told of.
    expect(faults.callsInsideResetWindow, report).toBe(0);
    expect(f.fuzz.messages).toBe(SHORT.fuzzMessages);
    expect(f.fuzz.fiveXx, report).toBe(0);
    expect(f.fuzz.unanswered, report).toBe(0);
    expect(f.fuzz.crashes, report).toBe(0);
    expect(f.crashes.unexpectedExits, report).toBe(0);
    expect(problems(f), report).toEqual([]);
  });
});
