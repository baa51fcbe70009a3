// LARK_EVENT_MODE=ws: the SDK's real WSClient against the fake Lark's long connection
// (/callback/ws/endpoint, then protobuf frames over a WebSocket). Events and a card click arrive
// and are answered (the click's toast and card within Lark's 3 seconds); the fake cuts the
// connection mid-stream, the SDK reconnects, the fake pushes again what was not acknowledged, and
// every event is processed exactly once.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inbox } from '../src/db/schema.ts';
import { startFakeLark, type FakeLark } from '../src/lark/fake/server.ts';
import { startLongConnection } from '../src/lark/long-connection.ts';
import { decodeFrame, encodeFrame } from '../src/lark/fake/ws-frame.ts';
import { cardActionEnvelope, messageEnvelope } from '../src/lark/simulate.ts';
import { cardJson, findButton } from './support/cards.ts';
import { SECRETS, textOf, type Harness } from './support/harness.ts';
import { FIXER, INSPECTOR, LEADER, MEIHE, NAMES, hazardRow, reportHazard, startTown } from './support/hazard-helpers.ts';

// The SDK's WSClient refuses app ids that are not cli_ + 16 hex digits.
const APP_ID = 'cli_a1b2c3d4e5f60718';

async function until<T>(what: () => T | undefined | false, ms = 10_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) {
    const v = what();
    if (v) return v;
  }
  throw new Error('timed out');
}

describe('the long connection (real WSClient against the fake)', () => {
  let fake: FakeLark;
  let h: Harness;
  const logged: string[] = [];

  beforeAll(async () => {
    fake = await startFakeLark({ appId: APP_ID, now: () => (h ? h.now.getTime() : Date.now()) });
    h = await startTown({ fake, eventMode: 'ws', log: { debug() {}, info() {}, warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) } });
    h.runtime.connect({ appId: APP_ID, appSecret: fake.appSecret, domain: fake.url }, startLongConnection);
    await until(() => h.runtime.health().ok);
  }, 30_000);

  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  const message = (text: string, eventId?: string) => {
    const user = fake.addMessage({ chatId: 'oc_group', content: JSON.stringify({ text }), msgType: 'text', senderOpenId: INSPECTOR });
    return { user, envelope: messageEnvelope({ senderOpenId: INSPECTOR, chatId: 'oc_group', text, token: SECRETS.verificationToken, messageId: user.messageId, eventId }) };
  };
  const repliesTo = (messageId: string) => fake.messages.filter((m) => m.parentId === messageId);

  it('frames round-trip through our codec as the SDK writes them', () => {
    const frame = { seqId: 300, logId: 2 ** 40, service: 1, method: 1, headers: [{ key: 'type', value: 'event' }, { key: 'message_id', value: '消息' }], payload: new TextEncoder().encode('{"a":1}') };
    expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
  });

  it('connects through /callback/ws/endpoint, and /healthz reports the mode and the connection', async () => {
    expect(fake.calls.some((c) => c.path === '/callback/ws/endpoint')).toBe(false); // not an Open API call: not recorded, not billed
    expect(fake.longConnectionStatus().connections).toBe(1);
    const res = await h.runtime.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, mode: 'ws', connection: 'connected' });
  });

  it('an event is stored before it is acknowledged, and answered', async () => {
    const { user, envelope } = message('/whoami', 'ev_ws_1');
    const ack = await fake.pushEvent(envelope);
    expect(ack.code).toBe(200);
    const [row] = await h.db.select().from(inbox).where(eq(inbox.eventId, 'ev_ws_1'));
    expect(row).toBeDefined();
    await h.settle();
    const reply = repliesTo(user.messageId)[0];
    expect(textOf(reply)).toContain(NAMES[INSPECTOR]);
  });

  it('a card click comes down the connection and its toast and card go back within 3 seconds', async () => {
    const { no, card } = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 危化品仓库通风故障`);
    const value = findButton(cardJson(card.content), 'hazard.dispatch')!;
    const token = fake.issueCardToken();
    const ack = await fake.pushEvent(
      cardActionEnvelope({ operatorOpenId: LEADER, value, formValue: { assignee: FIXER }, messageId: card.messageId, chatId: card.chatId, token: SECRETS.verificationToken, cardToken: token }),
    );
    expect(ack.code).toBe(200);
    expect(ack.ms).toBeLessThan(3000);
    const body = ack.body as { toast?: { type: string; content: string }; card?: { type: string; data: unknown } };
    expect(body.toast?.type).toBe('success');
    expect(body.card?.type).toBe('raw');
    expect(JSON.stringify(body.card?.data)).toContain(no);
    expect((await hazardRow(h, no)).status).toBe('dispatched');
  });

  it('a dropped connection reconnects; what was not acknowledged comes again and is processed once', async () => {
    const sent = ['/whoami', '/help', '/whoami'].map((t, i) => message(t, `ev_ws_drop_${i}`));
    fake.dropLongConnection({ beforeNextAck: true }); // the first is processed, its ack is lost with the connection
    const acks = Promise.all(sent.map((s) => fake.pushEvent(s.envelope)));
    const all = await acks;
    expect(all.map((a) => a.code)).toEqual([200, 200, 200]);
    expect(all[0].pushes).toBe(2); // pushed, processed, ack lost; pushed again after the reconnect
    expect(fake.longConnectionStatus().connects).toBe(2);
    await h.settle();
    expect(sent.map((s) => repliesTo(s.user.messageId).length)).toEqual([1, 1, 1]);
    const rows = await h.db.select().from(inbox);
    expect(rows.filter((r) => r.eventId.startsWith('ev_ws_drop_'))).toHaveLength(3);
    expect(h.runtime.health()).toMatchObject({ ok: true, connection: 'connected', connects: 2 });
    expect(logged).toContain('lark long connection dropped; reconnecting with the SDK backoff');
  });
});

describe('the sandbox in ws mode (LARK_EVENT_MODE=ws npm start)', () => {
  it('connects to its own fake Lark and hears the page\'s messages down the long connection', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadConfig } = await import('../src/config.ts');
    const { startSandbox } = await import('../src/sandbox/run.ts');
    const dir = mkdtempSync(join(tmpdir(), 'wk-sandbox-ws-'));
    const sb = await startSandbox({ config: loadConfig({ DATABASE_URL: `file:${join(dir, 'wk.db')}`, PORT: '0', LARK_EVENT_MODE: 'ws' }), jobs: [] });
    try {
      expect(await (await fetch(`${sb.url}/healthz`)).json()).toMatchObject({ ok: true, mode: 'ws', connection: 'connected' });
      const before = sb.fake.longConnectionStatus();
      const LINA = 'ou_demo_lina';
      const res = await fetch(`${sb.url}/sandbox/api/say`, { method: 'POST', body: JSON.stringify({ as: LINA, chatId: `oc_p2p_${LINA}`, text: '/whoami' }), headers: { 'content-type': 'application/json', 'x-sandbox': '1' } });
      expect(res.status).toBe(200);
      const { messageId } = (await res.json()) as { messageId: string };
      const reply = await until(() => sb.fake.messages.find((m) => m.parentId === messageId));
      expect(textOf(reply)).toContain('李娜');
      expect(sb.fake.longConnectionStatus().unacknowledged).toBe(0);
      expect(before.connections).toBe(1);
      expect(sb.fake.longConnectionStatus().acknowledged).toBe(before.acknowledged + 1);
    } finally {
      await sb.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
