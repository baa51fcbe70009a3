import { createClient, type Client } from '@libsql/client';
import type { SqlClient } from './sql.ts';
import { startCheckpointer } from './checkpointer.ts';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as schema from './schema.ts';

export type Db = LibSQLDatabase<typeof schema>;
export interface Database {
  db: Db;
  /** The libSQL client itself, for Node-only tools (benchmarks, CLIs). */
  client: Client;
  /** Raw SQL for the inbox, outbox and job runner: libSQL here, D1 on Workers. */
  sql: SqlClient;
  close(): void;
}

const BUSY_TIMEOUT_MS = 5000;

/** Opens a libSQL database: a local file (WAL, busy timeout) or a libSQL server. */
export async function openDatabase(url: string, authToken?: string, opts: { backgroundCheckpoints?: boolean } = {}): Promise<Database> {
  const isFile = url.startsWith('file:');
  const path = isFile ? url.slice('file:'.length) : '';
  if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const client = createClient({ url, authToken, ...(isFile ? { timeout: BUSY_TIMEOUT_MS } : {}) } as Parameters<typeof createClient>[0]);
  if (isFile) {
    // WAL lets readers run beside the one writer; NORMAL sync keeps commits durable across
    // process crashes (the WAL is fsynced at checkpoints), which is what the inbox promises.
    await client.execute('PRAGMA journal_mode=WAL');
    await client.execute(`PRAGMA busy_timeout=${BUSY_TIMEOUT_MS}`);
    await client.execute('PRAGMA synchronous=NORMAL');
  }
  // Long-running servers move WAL checkpoints off the event loop; the far threshold is a backstop.
  const checkpointer = opts.backgroundCheckpoints && path && path !== ':memory:' ? startCheckpointer(path) : undefined;
  if (checkpointer) await client.execute('PRAGMA wal_autocheckpoint=20000');
  const db = drizzle(client, { schema });
  return {
    db,
    client,
    sql: client,
    close: () => {
      void checkpointer?.stop();
      client.close();
    },
  };
}
