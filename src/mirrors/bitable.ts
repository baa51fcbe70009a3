import { mirrorItemsByKey, saveMirrorItem } from '../domain/mirrors.ts';
import { LEDGER_FIELDS, ledgerRecords } from '../domain/ledger-records.ts';
import { LarkApiError } from '../lark/client.ts';
import { BITABLE_MAX_RECORDS_PER_CALL, BitableCode } from '../lark/workspace.ts';
import type { MirrorEnv } from './tasks.ts';

export interface BitableTable {
  appToken: string;
  tableId: string;
}

/** A uuid v4 derived from a seed: Bitable's client_token must be one, and a retry must send the same. */
export async function uuidFrom(seed: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(seed))).slice(0, 16);
  d[6] = (d[6] & 0x0f) | 0x40;
  d[8] = (d[8] & 0x3f) | 0x80;
  const h = [...d].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * First run: the table's fields are created if it lacks them (an empty table gets all of the
 * ledger's columns); fields people added themselves are left alone.
 */
export async function ensureLedgerFields(env: MirrorEnv, t: BitableTable): Promise<number> {
  const have = new Set(await env.workspace.listFields(t));
  let created = 0;
  for (const f of LEDGER_FIELDS) {
    if (have.has(f.name)) continue;
    await env.workspace.createField({ ...t, name: f.name, type: f.type });
    created++;
  }
  return created;
}

/**
 * Upserts these hazards' records: an update for each one already recorded, a create (client_token
 * from the outbox row, so a retry returns the same records) for the rest; at most 1,000 a call.
 * A record someone deleted in Feishu (1254043) is created again.
 */
export async function upsertRecords(env: MirrorEnv, t: BitableTable, nos: string[], seed: string): Promise<number> {
  const records = await ledgerRecords(env.db, nos);
  const known = await mirrorItemsByKey(env.db, 'record', [...records.keys()]);
  const updates = [...records].filter(([no]) => known.has(no)).map(([no, fields]) => ({ no, recordId: known.get(no)!.feishuId, fields }));
  const creates = [...records].filter(([no]) => !known.has(no));
  const ws = env.workspace;
  for (let i = 0; i < updates.length; i += BITABLE_MAX_RECORDS_PER_CALL) {
    const batch = updates.slice(i, i + BITABLE_MAX_RECORDS_PER_CALL);
    try {
      await ws.updateRecords({ ...t, records: batch });
    } catch (e) {
      if (!(e instanceof LarkApiError && e.code === BitableCode.recordIdNotFound)) throw e;
      // One record is gone and the call refused them all: one by one, re-creating the missing.
      for (const u of batch) {
        try {
          await ws.updateRecords({ ...t, records: [u] });
        } catch (again) {
          if (!(again instanceof LarkApiError && again.code === BitableCode.recordIdNotFound)) throw again;
          creates.push([u.no, u.fields]);
        }
      }
    }
  }
  for (let i = 0; i < creates.length; i += BITABLE_MAX_RECORDS_PER_CALL) {
    const batch = creates.slice(i, i + BITABLE_MAX_RECORDS_PER_CALL);
    const ids = await ws.createRecords({ ...t, records: batch.map(([, f]) => f), clientToken: await uuidFrom(`${seed}:${i}:${batch[0][0]}`) });
    const at = env.clock().getTime();
    // Recorded one by one: D1 caps bound parameters per statement.
    for (let k = 0; k < batch.length; k++) await saveMirrorItem(env.db, { kind: 'record', key: batch[k][0], feishuId: ids[k], state: {} }, at);
  }
  return records.size;
}
