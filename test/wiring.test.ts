// The explicit wiring: every button a card can carry is answered by an action listed in
// commands/index.ts, and a name listed twice is refused at start-up.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cardActions } from '../commands/index.ts';
import { cardActionTable } from '../src/bot/card-actions.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );

describe('card actions', () => {
  it('answer every action a button in the code names', () => {
    const named = new Set<string>();
    for (const f of [...sources('src'), ...sources('commands'), ...sources('jobs')]) {
      for (const m of readFileSync(join(root, f), 'utf8').matchAll(/(?:action: |hazardValue\()'([a-z_]+\.[a-z_]+)'/g)) named.add(m[1]);
    }
    expect(named.size).toBeGreaterThan(15);
    expect([...named].filter((n) => !cardActions.has(n))).toEqual([]);
  });

  it('refuse a name listed twice', () => {
    const noop = async () => {};
    expect(() => cardActionTable([[['x.y', noop]], [['x.y', noop]]])).toThrow(/x\.y is listed twice/);
  });
});
