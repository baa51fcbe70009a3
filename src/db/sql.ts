// The few raw-SQL operations the inbox, outbox and job runner need, as a shape both libSQL's
// Client and our D1 adapter satisfy; everything else goes through drizzle.

export type SqlArg = string | number | bigint | null | boolean | Uint8Array;
export interface SqlStatement {
  sql: string;
  args: SqlArg[];
}
export interface SqlResult {
  rows: Record<string, unknown>[];
  rowsAffected: number;
}

export interface SqlClient {
  execute(stmt: SqlStatement): Promise<SqlResult>;
  /** All statements in one transaction: every one applies, or none. */
  batch(stmts: SqlStatement[], mode?: 'write' | 'read' | 'deferred'): Promise<SqlResult[]>;
}

/** Rows changed by a drizzle `run()` / insert / update, on libSQL (`rowsAffected`) and D1 (`meta.changes`). */
export function affectedRows(result: unknown): number {
  const r = result as { rowsAffected?: number; meta?: { changes?: number }; changes?: number };
  return Number(r.rowsAffected ?? r.meta?.changes ?? r.changes ?? 0);
}
