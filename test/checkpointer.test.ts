import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/client.ts';

// Long-running servers checkpoint the WAL on a thread of their own (src/db/checkpointer.ts), so no
// request waits behind a checkpoint: the data still reaches the database file.

describe('background WAL checkpoints', () => {
  it('move committed pages into the database file without a commit doing it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wk-ckpt-')), 'ckpt.db');
    const database = await openDatabase(`file:${path}`, undefined, { backgroundCheckpoints: true });
    try {
      const [{ wal_autocheckpoint: threshold }] = (await database.client.execute('PRAGMA wal_autocheckpoint')).rows as unknown as { wal_autocheckpoint: number }[];
      expect(Number(threshold)).toBe(20000); // commits never reach it in this test
      await database.client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
      const before = statSync(path).size;
      const body = 'x'.repeat(2000);
      for (let i = 0; i < 20; i++) {
        await database.client.batch(Array.from({ length: 50 }, () => ({ sql: 'INSERT INTO t (body) VALUES (?)', args: [body] })), 'write');
      }
      // The checkpointer thread runs every second; allow it a few rounds.
      const end = Date.now() + 10_000;
      while (statSync(path).size < before + 1_000_000 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      expect(statSync(path).size).toBeGreaterThan(before + 1_000_000);
      const [{ n }] = (await database.client.execute('SELECT count(*) AS n FROM t')).rows as unknown as { n: number }[];
      expect(Number(n)).toBe(1000);
    } finally {
      database.close();
    }
  });
});
