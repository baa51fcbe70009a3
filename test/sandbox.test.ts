// Sandbox mode without a browser: the demo city it seeds, its JSON API (every action a signed
// event into POST /lark/events), and its clock, which runs the jobs due when it is moved.
// The page itself is driven in Chromium by test/e2e/sandbox.e2e.test.ts.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSandbox, loadConfig } from '../src/config.ts';
import { chatBindings, enterprises, hazards, inbox, people, teams } from '../src/db/schema.ts';
import { dayMarks } from '../src/domain/holidays.ts';
import { onDuty } from '../src/domain/roster.ts';
import { SECTOR_CODES } from '../src/domain/sectors.ts';
import { ROLES, splitRoles } from '../src/domain/roles.ts';
import { Effects } from '../src/outbox/effects.ts';
import type { Job } from '../src/jobs/types.ts';
import { loadClockOffset, parseDuration, SandboxClock } from '../src/sandbox/clock.ts';
import { seedDemo } from '../src/sandbox/seed.ts';
import { startSandbox, type Sandbox } from '../src/sandbox/run.ts';
import { makeSettings } from '../src/settings.ts';

const LINA = 'ou_demo_lina';
const HONGMEI = 'oc_sandbox_hongmei';
const HOUR = 3600_000;

/** Jobs that only record when they ran, so the clock's replay can be checked. */
const ran: { job: string; at: number }[] = [];
const recorder = (name: string, cron: string): Job => ({
  name,
  cron,
  summary: { zh: name, en: name },
  async run(_deps, now) {
    ran.push({ job: name, at: now.getTime() });
    return new Effects(now);
  },
});

interface StateMessage {
  id: string;
  chatId: string;
  parentId: string | null;
  rootId: string | null;
  fromBot: boolean;
  msgType: string;
  content: Record<string, unknown>;
  updated: number;
}

describe('sandbox mode', () => {
  let dir: string;
  let sb: Sandbox;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wk-sandbox-'));
    sb = await startSandbox({
      config: loadConfig({ DATABASE_URL: `file:${join(dir, 'wk.db')}`, PORT: '0' }),
      jobs: [recorder('every-minute', '* * * * *'), recorder('hourly', '5 * * * *')],
    });
  }, 120_000);

  afterAll(async () => {
    await sb?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = { 'x-sandbox': '1' }) =>
    fetch(`${sb.url}/sandbox/api/${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  const state = async (): Promise<{ messages: StateMessage[]; clock: { now: number; offsetMs: number } }> => (await fetch(`${sb.url}/sandbox/api/state`)).json();
  async function until<T>(what: () => Promise<T | undefined>, ms = 8000): Promise<T> {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      const v = await what();
      if (v !== undefined) return v;
    }
    throw new Error('timed out');
  }

  it('runs only without Lark credentials, or when SANDBOX=1 asks for it', () => {
    const creds = { LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 's', LARK_ENCRYPT_KEY: 'k', LARK_VERIFICATION_TOKEN: 't' };
    expect(isSandbox(loadConfig({}))).toBe(true);
    expect(isSandbox(loadConfig(creds))).toBe(false);
    expect(isSandbox(loadConfig({ ...creds, SANDBOX: '1' }))).toBe(true);
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
  });

  it('seeds a demo city: every sector and role, teams with equipment, bound chats, hazards in every state', async () => {
    const sectors = new Set((await sb.db.select({ s: enterprises.sector }).from(enterprises)).map((r) => r.s));
    expect([...sectors].sort()).toEqual([...SECTOR_CODES].sort());
    const towns = new Set((await sb.db.select({ t: enterprises.township }).from(enterprises)).map((r) => r.t));
    expect(towns.size).toBeGreaterThanOrEqual(4);
    const roles = new Set((await sb.db.select({ r: people.roles }).from(people)).flatMap((r) => splitRoles(r.r)));
    expect([...roles].sort()).toEqual([...ROLES].sort());
    const team = await sb.db.select().from(teams);
    expect(team.length).toBeGreaterThanOrEqual(4);
    expect(team.every((t) => JSON.parse(t.equipment).length > 0)).toBe(true);
    expect((await sb.db.select().from(chatBindings)).map((b) => b.kind).sort()).toEqual(['duty', 'leaders', 'township']);
    // The demo city keeps the calendar that ships with Watchkeeper (data/holidays/2026.csv).
    expect((await dayMarks(sb.db, '2026-10-03')).holiday?.name).toBe('国庆节');
    expect((await dayMarks(sb.db, '2026-10-10')).holiday?.kind).toBe('workday');

    const list = await sb.db.select().from(hazards);
    expect(new Set(list.map((h) => h.status))).toEqual(new Set(['reported', 'dispatched', 'rectified', 'closed']));
    const now = sb.clock.now().getTime();
    expect(list.some((h) => h.status === 'dispatched' && h.deadline! < now)).toBe(true);
    expect(list.some((h) => h.status === 'dispatched' && h.deadline! > now)).toBe(true);

    // Someone leads and someone is on the desk at every hour of the coming month.
    for (let t = now; t < now + 30 * 24 * HOUR; t += 5 * HOUR) {
      const duty = await onDuty(sb.db, new Date(t));
      expect(duty.leader && duty.officer, new Date(t).toISOString()).toBeTruthy();
    }

    // A database with people in it is left alone.
    expect(await seedDemo(sb.db, makeSettings({ tz: 'Asia/Shanghai' }), new Date())).toBe(false);
  });

  it('refuses API writes without its header (a cross-site form cannot set one)', async () => {
    const res = await post('say', { as: LINA, chatId: HONGMEI, text: '/help' }, {});
    expect(res.status).toBe(403);
    const [{ n }] = await sb.db.select({ n: sql<number>`count(*)` }).from(inbox);
    expect(n).toBe(0);
  });

  it('delivers typed text as a signed event and shows the reply in its thread', async () => {
    const res = await post('say', { as: LINA, chatId: `oc_p2p_${LINA}`, text: '/whoami' });
    expect(res.status).toBe(200);
    const { messageId } = (await res.json()) as { messageId: string };
    const reply = await until(async () => (await state()).messages.find((m) => m.fromBot && m.parentId === messageId));
    expect(JSON.stringify(reply.content)).toContain('李娜');
    const [row] = await sb.db.select().from(inbox).where(sql`${inbox.payload} like ${`%${messageId}%`}`);
    expect(row.eventType).toBe('im.message.receive_v1');

    // Nobody else may write in someone's direct chat.
    expect((await post('say', { as: 'ou_demo_zhangwei', chatId: `oc_p2p_${LINA}`, text: 'hi' })).status).toBe(403);
  });

  it('submits a form card as a card.action.trigger callback and shows the answer in place', async () => {
    const { messageId } = (await (await post('say', { as: LINA, chatId: HONGMEI, text: '/report' })).json()) as { messageId: string };
    const form = await until(async () => (await state()).messages.find((m) => m.fromBot && m.parentId === messageId && m.msgType === 'interactive'));
    const submit = JSON.stringify(form.content).match(/"value":(\{"action":"hazard\.report_form"[^}]*\})/);
    expect(submit).not.toBeNull();
    const res = await post('click', {
      as: LINA,
      messageId: form.id,
      value: JSON.parse(submit![1]),
      formValue: { enterprise: '梅河化工有限公司', level: 'general', description: '消防通道堵塞' },
      tag: 'button',
      name: 'report',
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { toast: { content: string }; updated: boolean };
    expect(answer.toast.content).toMatch(/^已上报 YH-/);
    expect(answer.updated).toBe(true);
    const after = (await state()).messages.find((m) => m.id === form.id)!;
    expect(after.updated).toBeGreaterThan(0);
    expect(JSON.stringify(after.content)).toContain('待派单');
  });

  it('takes only real images as photos', async () => {
    const fd = new FormData();
    fd.append('as', LINA);
    fd.append('chatId', HONGMEI);
    fd.append('file', new Blob([new TextEncoder().encode('not an image')]), 'x.png');
    const res = await fetch(`${sb.url}/sandbox/api/photo`, { method: 'POST', body: fd, headers: { 'x-sandbox': '1' } });
    expect(res.status).toBe(400);
  });

  it('moves the clock forward only, running each job slot passed, in order, thinned in a jump', async () => {
    const before = sb.clock.now().getTime();
    ran.length = 0;
    const res = await post('clock', { advance: '2h' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { from: number; to: number; slots: number; jobs: Record<string, { slots: number }> };
    expect(body.to - body.from - 2 * HOUR).toBeGreaterThanOrEqual(0);
    expect(body.to - body.from - 2 * HOUR).toBeLessThan(5000); // wall time passing meanwhile
    expect(body.jobs.hourly.slots).toBe(2);
    // Every-minute jobs run every 15 minutes of a jump, and at its last minute.
    const minutes = ran.filter((r) => r.job === 'every-minute').map((r) => r.at);
    expect(minutes.length).toBeGreaterThanOrEqual(8);
    expect(minutes.length).toBeLessThanOrEqual(10);
    expect(minutes.every((t, i) => i === 0 || t > minutes[i - 1])).toBe(true);
    expect(Math.max(...minutes)).toBe(Math.floor(body.to / 60_000) * 60_000);
    expect(ran.every((r, i) => i === 0 || r.at >= ran[i - 1].at)).toBe(true);

    expect((await state()).clock.now).toBeGreaterThanOrEqual(before + 2 * HOUR);
    expect(await loadClockOffset(sb.db)).toBe(sb.clock.offset);
    expect((await post('clock', { ms: -60_000 })).status).toBe(400);
    expect((await post('clock', { advance: 'yesterday' })).status).toBe(400);
  });

  it('reads durations and never turns back', () => {
    expect(parseDuration('1d 6h')).toBe(30 * HOUR);
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('1w')).toBe(7 * 24 * HOUR);
    expect(parseDuration('-1h')).toBeUndefined();
    const clock = new SandboxClock(0, () => 1000);
    clock.advance(500);
    expect(clock.now().getTime()).toBe(1500);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});
