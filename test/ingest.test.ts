import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRETS, startHarness, textOf, type Harness } from './support/harness.ts';
import { messageEnvelope, signedRequest, type SignedRequest } from '../src/lark/simulate.ts';
import { encrypt, signature } from '../src/lark/crypto.ts';

// The webhook as Lark calls it: real HTTP through the Hono app, bodies signed (and encrypted)
// exactly as Lark does, the freshness check judged by the harness clock.

let h: Harness;
let seq = 0;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const nowSeconds = () => Math.floor(h.now.getTime() / 1000);

/** A user's message in a chat the fake knows, so a reply to it can land. */
function userMessage(text: string, o: { token?: string; eventId?: string; sender?: string } = {}) {
  const sender = o.sender ?? 'ou_stranger';
  const chatId = 'oc_ingest';
  const m = h.fake.addMessage({ chatId, content: JSON.stringify({ text }), msgType: 'text', senderOpenId: sender });
  const envelope = messageEnvelope({
    senderOpenId: sender,
    chatId,
    text,
    messageId: m.messageId,
    eventId: o.eventId ?? `ev_ingest_${++seq}`,
    token: o.token ?? SECRETS.verificationToken,
  });
  return { envelope, eventId: envelope.header.event_id, messageId: m.messageId };
}

function sign(payload: unknown, o: { encrypt?: boolean; ageSeconds?: number } = {}) {
  return signedRequest(payload, SECRETS, { encrypt: o.encrypt, timestampSeconds: nowSeconds() - (o.ageSeconds ?? 0) });
}

function deliver(req: { body: string; headers?: Record<string, string> }) {
  return h.runtime.app.request('/lark/events', { method: 'POST', body: req.body, headers: req.headers ?? { 'content-type': 'application/json' } });
}

async function count(table: 'inbox' | 'processed_events' | 'outbox', eventId?: string): Promise<number> {
  const rs = eventId
    ? await h.client.execute({ sql: `SELECT count(*) AS n FROM ${table} WHERE event_id = ?`, args: [eventId] })
    : await h.client.execute(`SELECT count(*) AS n FROM ${table}`);
  return Number(rs.rows[0].n);
}

/** Everything a request could have written, to show a refusal wrote nothing. */
async function snapshot() {
  return { inbox: await count('inbox'), processed: await count('processed_events'), outbox: await count('outbox') };
}

/** Replies the bot has sent to one user message. */
const repliesTo = (messageId: string) => h.fake.messages.filter((m) => m.parentId === messageId);

describe('POST /lark/events: signed events', () => {
  it('accepts a correctly signed encrypted event and inboxes the decrypted envelope', async () => {
    const { envelope, eventId } = userMessage('/help');
    const res = await deliver(await sign(envelope));
    expect(res.status).toBe(200);
    const rs = await h.client.execute({ sql: 'SELECT event_type, payload, status FROM inbox WHERE event_id = ?', args: [eventId] });
    expect(rs.rows).toHaveLength(1);
    expect(rs.rows[0].event_type).toBe('im.message.receive_v1');
    expect(rs.rows[0].status).toBe('pending');
    expect(JSON.parse(String(rs.rows[0].payload)).event.message.content).toBe(JSON.stringify({ text: '/help' }));
  });

  it('refuses the same body under a wrong signature and writes nothing', async () => {
    const { envelope, eventId } = userMessage('/help');
    const good = await sign(envelope);
    const before = await snapshot();
    const forged = await signedRequest(envelope, { ...SECRETS, encryptKey: 'not-the-key' }, { timestampSeconds: nowSeconds() });
    const wrongSig = { body: good.body, headers: { ...good.headers, 'x-lark-signature': forged.headers['x-lark-signature'] } };
    expect((await deliver(wrongSig)).status).toBe(401);
    // One flipped hex digit is just as wrong.
    const sig = good.headers['x-lark-signature'];
    const flipped = { body: good.body, headers: { ...good.headers, 'x-lark-signature': (sig[0] === '0' ? '1' : '0') + sig.slice(1) } };
    expect((await deliver(flipped)).status).toBe(401);
    // And the right signature over a changed body.
    const tampered = { body: good.body.replace(/.$/, ' }'), headers: good.headers };
    expect((await deliver(tampered)).status).toBe(401);
    expect(await snapshot()).toEqual(before);
    expect(await count('inbox', eventId)).toBe(0);
  });

  it('refuses a wrong verification token inside a correctly signed body', async () => {
    const { envelope, eventId } = userMessage('/help', { token: 'someone-elses-token' });
    const before = await snapshot();
    const res = await deliver(await sign(envelope));
    expect(res.status).toBe(401);
    expect(await snapshot()).toEqual(before);
    expect(await count('inbox', eventId)).toBe(0);
  });

  it('refuses a timestamp older than five minutes and accepts one four minutes old', async () => {
    const stale = userMessage('/help');
    const before = await snapshot();
    expect((await deliver(await sign(stale.envelope, { ageSeconds: 6 * 60 }))).status).toBe(401);
    expect(await snapshot()).toEqual(before);

    const recent = userMessage('/help');
    expect((await deliver(await sign(recent.envelope, { ageSeconds: 4 * 60 }))).status).toBe(200);
    expect(await count('inbox', recent.eventId)).toBe(1);
  });

  it('refuses a timestamp six minutes in the future', async () => {
    const { envelope, eventId } = userMessage('/help');
    const before = await snapshot();
    expect((await deliver(await sign(envelope, { ageSeconds: -6 * 60 }))).status).toBe(401);
    expect(await snapshot()).toEqual(before);
    expect(await count('inbox', eventId)).toBe(0);
  });

  it('refuses an ordinary event that carries no signature, encrypted or not', async () => {
    const { envelope, eventId } = userMessage('/help');
    const before = await snapshot();
    const encrypted = JSON.stringify({ encrypt: await encrypt(SECRETS.encryptKey, JSON.stringify(envelope)) });
    expect((await deliver({ body: encrypted })).status).toBe(401);
    expect((await deliver({ body: JSON.stringify(envelope) })).status).toBe(401);
    // Half the signature headers is no signature.
    const signed = await sign(envelope);
    const { 'x-lark-signature': _dropped, ...partial } = signed.headers;
    expect((await deliver({ body: signed.body, headers: partial })).status).toBe(401);
    expect(await snapshot()).toEqual(before);
    expect(await count('inbox', eventId)).toBe(0);
  });

  it('acknowledges an event type it does not handle without inboxing it', async () => {
    const eventId = `ev_contact_${++seq}`;
    const envelope = {
      schema: '2.0',
      header: { event_id: eventId, event_type: 'contact.user.created_v3', create_time: String(h.now.getTime()), token: SECRETS.verificationToken, app_id: 'cli_app', tenant_key: 'tenant' },
      event: { object: { open_id: 'ou_new_user', name: '新同事' } },
    };
    const before = await snapshot();
    const res = await deliver(await sign(envelope));
    expect(res.status).toBe(200);
    expect(await snapshot()).toEqual(before);
    expect(await count('inbox', eventId)).toBe(0);
  });

  it('accepts plain (unencrypted) signed events and answers them', async () => {
    const { envelope, eventId, messageId } = userMessage('/whoami', { sender: 'ou_plain_sender' });
    const res = await deliver(await sign(envelope, { encrypt: false }));
    expect(res.status).toBe(200);
    expect(await count('inbox', eventId)).toBe(1);
    await h.settle();
    const replies = repliesTo(messageId);
    expect(replies).toHaveLength(1);
    expect(textOf(replies[0])).toContain('ou_plain_sender');
  });
});

describe('POST /lark/events: url_verification', () => {
  const check = (token = SECRETS.verificationToken, challenge = 'c-' + Math.random().toString(36).slice(2)) => ({
    payload: { challenge, token, type: 'url_verification' },
    challenge,
  });

  it('answers a plain url_verification without signature headers with its challenge', async () => {
    const { payload, challenge } = check();
    const res = await deliver({ body: JSON.stringify(payload) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge });
  });

  it('answers an encrypted url_verification without signature headers with its challenge', async () => {
    const { payload, challenge } = check();
    const res = await deliver({ body: JSON.stringify({ encrypt: await encrypt(SECRETS.encryptKey, JSON.stringify(payload)) }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge });
  });

  it('refuses a url_verification with a wrong token, plain or encrypted, and does not echo the challenge', async () => {
    const { payload } = check('not-our-token');
    const before = await snapshot();
    const plain = await deliver({ body: JSON.stringify(payload) });
    expect(plain.status).toBe(401);
    expect(await plain.json()).not.toHaveProperty('challenge');
    const encrypted = await deliver({ body: JSON.stringify({ encrypt: await encrypt(SECRETS.encryptKey, JSON.stringify(payload)) }) });
    expect(encrypted.status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });
});

describe('POST /lark/events: malformed bodies', () => {
  it('refuses a body over 256 KB with 413 even when correctly signed, and writes nothing', async () => {
    const { envelope, eventId } = userMessage('x'.repeat(300 * 1024));
    const req = await sign(envelope, { encrypt: false });
    expect(req.body.length).toBeGreaterThan(256 * 1024);
    const before = await snapshot();
    expect((await deliver(req)).status).toBe(413);
    // Same again with the length declared up front, as Lark's gateway sends it.
    const declared: SignedRequest = { body: req.body, headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) } };
    expect((await deliver(declared)).status).toBe(413);
    expect(await snapshot()).toEqual(before);
    expect(await count('inbox', eventId)).toBe(0);
  });

  it('refuses a body that is not JSON with 400, and writes nothing', async () => {
    const before = await snapshot();
    // Correctly signed, so the body itself is the only thing wrong with it.
    const garbage = 'this is not json';
    const ts = String(nowSeconds());
    const headers = { 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': 'n1', 'x-lark-signature': await signature(ts, 'n1', SECRETS.encryptKey, garbage) };
    expect((await deliver({ body: garbage, headers })).status).toBe(400);
    expect((await deliver({ body: '{"schema":"2.0",' })).status).toBe(400);
    expect((await deliver({ body: '[1,2,3]' })).status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });
});

describe('POST /lark/events: redelivery', () => {
  it('takes one event delivered five times (fresh signature each time) exactly once', async () => {
    const { envelope, eventId, messageId } = userMessage('/whoami', { sender: 'ou_redelivered' });
    // Lark retries when it thinks we did not answer: each retry is newly signed (and newly encrypted).
    const requests = await Promise.all(Array.from({ length: 5 }, () => sign(envelope)));
    expect(new Set(requests.map((r) => r.headers['x-lark-request-nonce'])).size).toBe(5);
    expect(new Set(requests.map((r) => r.body)).size).toBe(5);

    // Two arrive together (the writer's group commit), one more before processing, two after it.
    const together = await Promise.all([deliver(requests[0]), deliver(requests[1])]);
    expect(together.map((r) => r.status)).toEqual([200, 200]);
    expect((await deliver(requests[2])).status).toBe(200);
    await h.settle();
    expect((await deliver(requests[3])).status).toBe(200);
    expect((await deliver(requests[4])).status).toBe(200);
    await h.settle();

    expect(await count('inbox', eventId)).toBe(1);
    expect(await count('processed_events', eventId)).toBe(1);
    const row = await h.client.execute({ sql: 'SELECT status, attempts FROM inbox WHERE event_id = ?', args: [eventId] });
    expect(row.rows[0].status).toBe('done');
    expect(Number(row.rows[0].attempts)).toBe(1);
    const replies = repliesTo(messageId);
    expect(replies).toHaveLength(1);
    expect(textOf(replies[0])).toContain('尚未登记');
    expect(textOf(replies[0])).toContain('ou_redelivered');
  });
});
