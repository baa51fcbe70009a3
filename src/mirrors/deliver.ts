import type { Db } from '../db/client.ts';
import { LarkApiError } from '../lark/client.ts';
import type { WorkspaceClient } from '../lark/workspace.ts';
import type { Logger } from '../log.ts';
import { parseMirrorTarget } from '../outbox/mirror-rows.ts';
import type { Settings } from '../settings.ts';
import { ensureLedgerFields, upsertRecords } from './bitable.ts';
import { syncDuty, syncKeyPeriods } from './calendar.ts';
import { syncTask, type MirrorEnv } from './tasks.ts';

export interface MirrorDeliveryOptions {
  db: Db;
  workspace: WorkspaceClient;
  settings: Settings;
  clock: () => Date;
  log: Logger;
}

/**
 * Delivers `mirror` outbox rows (issue 19, ADR 0021): reads the record as it is now and brings its
 * copy in Feishu up to date. A LarkApiError is the sender's to retry or fail, like any message; a
 * mirror switched off since the row was queued is refused for good (nothing to retry).
 */
export class MirrorDelivery {
  private readonly env: MirrorEnv;
  /** The Bitable's fields were checked (and created if missing) by this process. */
  private fieldsReady = false;

  constructor(private readonly o: MirrorDeliveryOptions) {
    this.env = { db: o.db, workspace: o.workspace, tz: o.settings.tz, clock: o.clock, log: o.log, tasklists: o.settings.mirrors.tasklists };
  }

  async deliver(targetText: string, rowId = targetText): Promise<string | undefined> {
    const t = parseMirrorTarget(targetText);
    const m = this.o.settings.mirrors;
    if (!t) throw new LarkApiError('permanent', 0, -1, `unknown mirror target ${targetText}`);
    switch (t.kind) {
      case 'task':
        if (!m.tasks) throw off('FEISHU_TASKS');
        return syncTask(this.env, t.no);
      case 'duty':
        if (!m.dutyCalendar) throw off('FEISHU_DUTY_CALENDAR');
        return syncDuty(this.env, t.fromMs, t.toMs);
      case 'keyperiods':
        if (!m.dutyCalendar) throw off('FEISHU_DUTY_CALENDAR');
        return syncKeyPeriods(this.env);
      case 'record': {
        if (!m.bitable) throw off('FEISHU_BITABLE_APP_TOKEN');
        if (!this.fieldsReady) {
          const created = await ensureLedgerFields(this.env, m.bitable);
          if (created) this.o.log.info('bitable: created the ledger fields', { created });
          this.fieldsReady = true;
        }
        await upsertRecords(this.env, m.bitable, t.nos, rowId);
        return m.bitable.tableId;
      }
    }
  }
}

const off = (name: string) => new LarkApiError('permanent', 0, -1, `mirror off (${name} unset)`);
