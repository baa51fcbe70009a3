// The health view: /status (/状态) for admins in chat, the same as JSON at GET /status with
// STATUS_TOKEN; the silence alarm by time travel; daily housekeeping that prunes bookkeeping and
// keeps every ledger row.
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { hazardEvents, hazards, inbox, jobRuns, outbox, processedEvents } from '../src/db/schema.ts';
import { runSlot } from '../src/jobs/runner.ts';
import housekeeping from '../jobs/housekeeping.ts';
import silenceAlarm from '../jobs/silence-alarm.ts';
import dueSoon from '../jobs/due-soon.ts';
import { textOf, type Harness } from './support/harness.ts';
import { ADMIN, FIXER, INSPECTOR, MEIHE, NAMES, dmsTo, hazardCardMessage, reportHazard, startTown } from './support/hazard-helpers.ts';

const DAY = 86_400_000;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('/status', () => {
  it('shows an admin the mode, events, outbox, failed messages, jobs, API calls against the budget and the database size', async () => {
    h = await startTown({ settings: { ops: { monthlyCallBudget: 10_000, silenceAlarmHours: 12, retentionDays: 90 } } });
    await reportHazard(h, INSPECTOR, `/report ${MEIHE} 应急照明损坏`);
    await runSlot(h.runtime.jobDeps, dueSoon, new Date('2026-12-01T02:10:00Z'), 'test');
    await h.db.update(outbox).set({ status: 'failed', lastError: '400 230013 Bot has NO availability to this user' }).where(eq(outbox.id, (await h.db.select().from(outbox).limit(1))[0].id));
    const r = await h.say(ADMIN, '/status');
    const text = textOf(r.replies[0]);
    for (const part of ['系统状态', '模式：Webhook', '最近收到事件：2026-12-01', '待发送 0 条', '发送失败 1 条', 'npm run outbox -- failed', 'due-soon：最近 2026-12-01 10:10 成功', '预算 10000 次', 'reply', '本月加急', '数据库大小：']) {
      expect(text).toContain(part);
    }
    // Buzzes are counted in one section, not again under the API calls.
    expect(text.split('应用内加急 0 次').length - 1).toBe(1);
    expect(text).not.toContain('本月加急：');
    const refused = await h.say(INSPECTOR, '/状态');
    expect(textOf(refused.replies[0])).toContain('需要以下角色之一');
  });

  it('GET /status does not exist without STATUS_TOKEN', async () => {
    h = await startTown();
    expect((await h.runtime.app.request('/status')).status).toBe(404);
  });

  it('GET /status answers the same sections as JSON for the bearer of STATUS_TOKEN', async () => {
    const { startHarness } = await import('./support/harness.ts');
    h = await startHarness({ statusToken: 's3cret-status-token' });
    const anon = await h.runtime.app.request('/status');
    expect(anon.status).toBe(401);
    const wrong = await h.runtime.app.request('/status', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    await h.say('ou_someone', '/whoami');
    const ok = await h.runtime.app.request('/status', { headers: { authorization: 'Bearer s3cret-status-token' } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { sections: { kind: string; [k: string]: unknown }[] };
    expect(body.sections.map((s) => s.kind)).toEqual(['events', 'outbox', 'jobs', 'lark_api', 'database', 'backups', 'buzzes', 'mirrors']);
    expect(body.sections[0]).toMatchObject({ mode: 'webhook', inboxPending: 0 });
    expect(body.sections[0].lastEventAt).toBe(h.now.getTime());
    expect(body.sections[3]).toMatchObject({ month: '2026-12' });
    expect((body.sections[3].byKind as Record<string, number>).reply).toBeGreaterThanOrEqual(1);
    expect(body.sections[4].bytes).toBeGreaterThan(0);
  });
});

describe('the silence alarm', () => {
  it('tells the admins once when no event has come for 12 hours of working time, and re-arms on the next event', async () => {
    // Friday 4 December 2026, 10:00 in Beijing: the last event.
    h = await startTown({ start: new Date('2026-12-04T01:59:59Z') });
    await h.say(INSPECTOR, '/whoami');
    const run = async (iso: string) => {
      const at = new Date(iso);
      h!.setNow(at);
      const mark = h!.fake.messages.length;
      await runSlot(h!.runtime.jobDeps, silenceAlarm, at, 'test');
      await h!.settle();
      return dmsTo(h!, ADMIN, mark).filter((m) => textOf(m).includes('没有收到飞书的任何事件'));
    };
    expect(await run('2026-12-04T09:20:00Z')).toHaveLength(0); // Fri 17:20: 7 h 20 of silence
    expect(await run('2026-12-05T03:20:00Z')).toHaveLength(0); // Saturday: not working hours
    expect(await run('2026-12-07T02:20:00Z')).toHaveLength(0); // Mon 10:20: 8 h Fri + 2 h 20 = 10 h 20
    const alarm = await run('2026-12-07T04:20:00Z'); // Mon 12:20: 12 h 20 of working time
    expect(alarm).toHaveLength(1);
    expect(textOf(alarm[0])).toContain('已有 12 小时没有收到');
    expect(textOf(alarm[0])).toContain('2026-12-04 10:00');
    expect(await run('2026-12-07T05:20:00Z')).toHaveLength(0); // once per silence
    h.setNow(new Date('2026-12-07T05:30:00Z'));
    await h.say(INSPECTOR, '/whoami');
    expect(await run('2026-12-07T13:20:00Z')).toHaveLength(0); // 21:20: not working hours
    expect(await run('2026-12-08T02:20:00Z')).toHaveLength(0); // Tue 10:20: 4 h 30 + 2 h 20
    const again = await run('2026-12-08T09:20:00Z'); // Tue 17:20: 4 h 30 + 9 h 20 = 13 h 50: re-armed by Monday's event
    expect(again).toHaveLength(1);
    expect(textOf(again[0])).toContain('2026-12-07 13:30');
  });

  it('counts only working time: a night and a weekend are not a silence', async () => {
    h = await startTown({ start: new Date('2026-12-04T09:59:00Z') }); // Fri 17:59
    await h.say(INSPECTOR, '/whoami');
    h.setNow(new Date('2026-12-07T03:20:00Z')); // Mon 11:20: 3 h 20 of working time
    await runSlot(h.runtime.jobDeps, silenceAlarm, h.now, 'test');
    await h.settle();
    expect(dmsTo(h, ADMIN).filter((m) => textOf(m).includes('没有收到'))).toHaveLength(0);
  });
});

describe('housekeeping', () => {
  it('prunes job runs and processed-event receipts older than RETENTION_DAYS in batches, and keeps every ledger row', async () => {
    h = await startTown();
    const { no } = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 危废暂存间无标识 @_user_1`, { mentions: [{ openId: FIXER, name: NAMES[FIXER] }] });
    const old = h.now.getTime();
    // 1,200 old slots (more than two batches) and a recent one.
    await h.client.execute({ sql: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200) INSERT INTO job_runs (job, slot, status, instance, attempts, started_at, queued) SELECT 'shift-reminders', ? + i * 60000, 'done', 'x', 1, ?, 0 FROM n`, args: [old - 200 * DAY, old] });
    const count = async (t: string) => Number((await h!.client.execute(`SELECT COUNT(*) AS n FROM ${t}`)).rows[0].n);
    const ledger = { hazards: await count('hazards'), hazard_events: await count('hazard_events'), outbox: await count('outbox'), people: await count('people'), enterprises: await count('enterprises') };
    const receipts = await count('processed_events');
    expect(receipts).toBeGreaterThan(0);

    h.setNow(new Date(old + 100 * DAY));
    await h.say(INSPECTOR, '/whoami'); // a recent event and its receipt
    await runSlot(h.runtime.jobDeps, housekeeping, new Date('2027-03-11T19:40:00Z'), 'test');

    expect(await count('job_runs')).toBe(1); // the housekeeping run itself
    const [recentReceipt] = await h.db.select().from(processedEvents);
    expect(await count('processed_events')).toBe(1);
    expect(recentReceipt.processedAt).toBe(h.now.getTime());
    expect(await h.db.select().from(inbox).where(sql`${inbox.processedAt} < ${old + DAY}`)).toHaveLength(0);
    for (const [t, n] of Object.entries(ledger)) expect(await count(t), t).toBe(t === 'outbox' ? n + 1 : n);
    expect((await h.db.select().from(hazardEvents)).length).toBe(ledger.hazard_events);
    const [row] = await h.db.select().from(hazards).where(eq(hazards.no, no));
    expect(row.cardOutboxId).toBeTruthy();

    // The hazard's card is still found: rectifying it updates its card (a fresh one, being 100 days old).
    const card = await hazardCardMessage(h, no);
    await h.say(FIXER, `/rectify ${no} 已补标识`);
    expect(h.fake.messages.some((m) => m.parentId === card.messageId && m.msgType === 'interactive')).toBe(true);
    expect(await h.db.select().from(jobRuns).where(eq(jobRuns.job, 'housekeeping'))).toHaveLength(1);
  });
});
