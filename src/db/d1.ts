import { drizzle } from 'drizzle-orm/d1';
import type { SQLWrapper } from 'drizzle-orm';
import * as schema from './schema.ts';
import type { Db } from './client.ts';
import type { SqlClient, SqlResult, SqlStatement } from './sql.ts';

// D1 (Workers) behind the SqlClient shape. Only the bits of D1's API we call are typed here, so
// this file needs no Workers type package and can be type-checked with the Node code.

interface D1Result<T = Record<string, unknown>> {
  results?: T[];
  meta?: { changes?: number };
}
interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  all<T = Record<string, unknown>>(): Promise<D1Result<T>>;
}
export interface D1DatabaseLike {
  prepare(sql: string): D1PreparedStatement;
  batch<T = Record<string, unknown>>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>;
}

const toResult = (r: D1Result): SqlResult => ({ rows: r.results ?? [], rowsAffected: Number(r.meta?.changes ?? 0) });

// D1 binds booleans and bigints poorly; SQLite stores them as integers anyway.
const bindable = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'bigint' ? Number(v) : v);

export function d1SqlClient(d1: D1DatabaseLike): SqlClient {
  const prepare = (s: SqlStatement) => d1.prepare(s.sql).bind(...s.args.map(bindable));
  return {
    async execute(stmt) {
      return toResult(await prepare(stmt).all());
    },
    async batch(stmts) {
      // D1's batch runs the statements in one implicit transaction, like libSQL's batch.
      if (stmts.length === 0) return [];
      return (await d1.batch(stmts.map(prepare))).map(toResult);
    },
  };
}


/**
 * drizzle over D1, typed as our Db. One repair: drizzle's D1 batch cannot take raw statements
 * (`db.run(sql…)`) that have parameters — their prepared form lacks the D1 statement it binds
 * (drizzle-orm 0.45, d1/session.js `batch`). We give raw statements a real prepared query when
 * they join a batch; run on their own they behave as before.
 */
export function d1Drizzle(d1: D1DatabaseLike): Db {
  const db = drizzle(d1 as never, { schema });
  const internals = db as unknown as {
    session: { prepareQuery(q: unknown, fields: undefined, method: 'run', arrayMode: boolean): unknown };
    dialect: { sqlToQuery(s: unknown): unknown };
  };
  const run = db.run.bind(db);
  (db as { run: typeof db.run }).run = ((query: SQLWrapper | string) => {
    const raw = run(query as never) as unknown as { getSQL(): unknown; _prepare(): unknown };
    raw._prepare = () => internals.session.prepareQuery(internals.dialect.sqlToQuery(raw.getSQL()), undefined, 'run', false);
    return raw;
  }) as typeof db.run;
  return db as unknown as Db;
}
