// The sandbox page's JSON API. Everything a person does on the page reaches the bot the way
// Feishu would deliver it: a correctly signed, encrypted event posted to the app's own
// POST /lark/events. What the bot sends is read back from the in-process fake Lark.

import type { Bi } from '../bi.ts';
import { mirrorPanel } from './mirror-panel.ts';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { asc } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { people } from '../db/schema.ts';
import { allBindings } from '../domain/chats.ts';
import type { FakeLark, FakeMessage } from '../lark/fake/server.ts';
import type { IngestSecrets } from '../lark/ingest.ts';
import { cardActionEnvelope, messageEnvelope, taskUpdatedEnvelope, signedRequest, type MentionSpec } from '../lark/simulate.ts';
import { parseDuration, type SandboxClock } from './clock.ts';
import { DEMO_CHATS } from './demo-city.ts';
import { withMentions } from './mentions.ts';
import type { SandboxScheduler } from './scheduler.ts';

export interface SandboxDeps {
  /** The app itself: events go in through its POST /lark/events. */
  post: (path: string, init: RequestInit) => Promise<Response>;
  fake: FakeLark;
  db: Db;
  secrets: IngestSecrets;
  appId: string;
  botName: string;
  clock: SandboxClock;
  scheduler: SandboxScheduler;
  tz: string;
  /** ws: events go down the fake's long connection instead of to POST /lark/events. */
  eventMode?: 'webhook' | 'ws';
}

/** Lark's cap on an image message. */
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const P2P_PREFIX = 'oc_p2p_';

export function sandboxApi(deps: () => SandboxDeps): Hono {
  const api = new Hono();
  const feed = new MessageFeed();
  /** Changes at each start: the fake Lark's messages live in memory, so a page open across a restart starts over. */
  const epoch = crypto.randomUUID();
  /** Images people uploaded from the page, by key (the bot's own uploads live in fake.images). */
  const uploads = new Map<string, Uint8Array>();

  // A cross-site page cannot set this header without a CORS preflight, which is never answered.
  api.use('*', async (c, next) => {
    if (c.req.method === 'POST' && c.req.header('x-sandbox') !== '1') return c.json({ error: 'missing x-sandbox header' }, 403);
    await next();
  });

  api.get('/state', async (c) => {
    const d = deps();
    const since = Number(c.req.query('since') ?? 0) || 0;
    const { rev, messages } = feed.since(d.fake, since);
    return c.json({
      epoch,
      rev,
      clock: { now: d.clock.now().getTime(), offsetMs: d.clock.offset, tz: d.tz },
      bot: { openId: d.fake.botOpenId, name: d.botName },
      people: await listPeople(d.db),
      chats: await listChats(d),
      messages: messages.map((m) => ({ ...view(m, d.fake.botOpenId, feed.revOf(m)), fileName: fileNameOf(d.fake, m) })),
      mirrors: mirrorPanel(d.fake, d.clock.now().getTime()),
    });
  });

  api.post('/say', async (c) => {
    const d = deps();
    const body = await jsonBody(c);
    const as = personId(body.as);
    const chatId = chatIdOf(body.chatId);
    const raw = typeof body.text === 'string' ? body.text.trim() : '';
    if (!as || !chatId || !raw) return c.json({ error: 'as, chatId and text are required' }, 400);
    if (!mayPostIn(as, chatId)) return c.json({ error: 'a direct chat is between the bot and its person' }, 403);
    if (raw.length > 4000) return c.json({ error: 'text is too long' }, 400);
    const thread = threadOf(d.fake, body.replyTo);
    if (thread === null) return c.json({ error: 'no such message to reply to' }, 400);
    const { text, mentions } = await withMentions(raw, (name) => resolveName(d, name));
    const msg = d.fake.addMessage({ chatId, content: JSON.stringify({ text }), msgType: 'text', senderOpenId: as, createdAt: d.clock.now().getTime(), ...thread });
    feed.remember(msg.messageId, mentions);
    const res = await deliver(d, messageEnvelope({ senderOpenId: as, chatId, chatType: chatTypeOf(chatId), text, mentions, messageId: msg.messageId, createTime: msg.createdAt, token: d.secrets.verificationToken, appId: d.appId, ...thread }));
    if (!res.ok) return c.json({ error: `the bot refused the event: HTTP ${res.status}` }, 502);
    return c.json({ messageId: msg.messageId });
  });

  // What the assignee does in Feishu Tasks: tick the task done; Feishu then tells the app (task.task.updated_v1).
  api.post('/complete-task', async (c) => {
    const d = deps();
    const body = await jsonBody(c);
    const guid = typeof body.guid === 'string' ? body.guid : '';
    const task = d.fake.workspace.tasks.get(guid);
    if (!task) return c.json({ error: 'no such task' }, 404);
    if (task.completedAt) return c.json({ error: 'the task is already done' }, 409);
    d.fake.workspace.completeAsUser(guid);
    const res = await deliver(d, taskUpdatedEnvelope({ taskId: guid, objType: 5, token: d.secrets.verificationToken, appId: d.appId }));
    if (!res.ok) return c.json({ error: `the bot refused the event: HTTP ${res.status}` }, 502);
    return c.json({ ok: true });
  });

  api.post('/click', async (c) => {
    const d = deps();
    const body = await jsonBody(c);
    const as = personId(body.as);
    const message = typeof body.messageId === 'string' ? d.fake.messages.find((m) => m.messageId === body.messageId) : undefined;
    if (!as || !message || !isObject(body.value)) return c.json({ error: 'as, messageId and value are required' }, 400);
    const res = await deliver(d, cardActionEnvelope({
      operatorOpenId: as,
      value: body.value,
      formValue: isObject(body.formValue) ? body.formValue : undefined,
      tag: typeof body.tag === 'string' ? body.tag : undefined,
      name: typeof body.name === 'string' ? body.name : undefined,
      option: typeof body.option === 'string' ? body.option : undefined,
      messageId: message.messageId,
      chatId: message.chatId,
      token: d.secrets.verificationToken,
    }));
    if (!res.ok) return c.json({ error: `the bot refused the callback: HTTP ${res.status}` }, 502);
    // What Lark does with the answer: show the toast, and put a raw card in place of the clicked one.
    const answer = (await res.json()) as { toast?: unknown; card?: { type?: string; data?: unknown } };
    const updated = answer.card?.type === 'raw' && d.fake.applyCallbackCard(message.messageId, answer.card.data);
    return c.json({ toast: answer.toast ?? null, updated });
  });

  api.post('/photo', bodyLimit({ maxSize: MAX_IMAGE_BYTES + 64 * 1024, onError: (c) => c.json({ error: 'image too large (10 MB at most)' }, 413) }), async (c) => {
    const d = deps();
    const form = await c.req.parseBody();
    const as = personId(form.as);
    const chatId = chatIdOf(form.chatId);
    const file = form.file;
    if (!as || !chatId || !(file instanceof File)) return c.json({ error: 'as, chatId and file are required' }, 400);
    if (!mayPostIn(as, chatId)) return c.json({ error: 'a direct chat is between the bot and its person' }, 403);
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (!imageType(bytes)) return c.json({ error: 'not a PNG, JPEG, GIF or WebP image' }, 400);
    const thread = threadOf(d.fake, form.replyTo);
    if (thread === null) return c.json({ error: 'no such message to reply to' }, 400);
    const imageKey = `img_v3_sandbox_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
    uploads.set(imageKey, bytes);
    const msg = d.fake.addMessage({ chatId, content: JSON.stringify({ image_key: imageKey }), msgType: 'image', senderOpenId: as, createdAt: d.clock.now().getTime(), ...thread });
    d.fake.addResource(msg.messageId, imageKey, bytes);
    const res = await deliver(d, messageEnvelope({ senderOpenId: as, chatId, chatType: chatTypeOf(chatId), imageKey, messageId: msg.messageId, createTime: msg.createdAt, token: d.secrets.verificationToken, appId: d.appId, ...thread }));
    if (!res.ok) return c.json({ error: `the bot refused the event: HTTP ${res.status}` }, 502);
    return c.json({ messageId: msg.messageId, imageKey });
  });

  api.post('/clock', async (c) => {
    const d = deps();
    const body = await jsonBody(c);
    const ms = typeof body.ms === 'number' ? body.ms : typeof body.advance === 'string' ? parseDuration(body.advance) : undefined;
    if (ms === undefined) return c.json({ error: 'give ms, or advance like "3h", "2d", "1w", "1d 6h"' }, 400);
    try {
      const { from, to, ran } = await d.scheduler.advance(ms);
      return c.json({ from: from.getTime(), to: to.getTime(), ...summarise(ran) });
    } catch (e) {
      if (e instanceof RangeError) return c.json({ error: e.message }, 400);
      throw e;
    }
  });

  api.get('/images/:key', (c) => {
    const d = deps();
    const key = c.req.param('key');
    const bytes = d.fake.images.get(key) ?? uploads.get(key);
    if (!bytes) return c.json({ error: 'no such image' }, 404);
    return c.body(Buffer.from(bytes), 200, { 'content-type': imageType(bytes) ?? 'application/octet-stream', 'cache-control': 'max-age=3600' });
  });

  api.get('/files/:key', (c) => {
    const file = deps().fake.files.get(c.req.param('key'));
    if (!file) return c.json({ error: 'no such file' }, 404);
    return c.body(Buffer.from(file.bytes), 200, {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    });
  });

  return api;
}

/**
 * Hands out changes by revision: a message gets a new revision when it appears, is patched or
 * is buzzed, so the page asks "what changed since N" and never misses an in-place update.
 */
class MessageFeed {
  private rev = 0;
  private readonly seen = new Map<string, { shape: string; rev: number }>();
  private readonly mentions = new Map<string, MentionSpec[]>();

  since(fake: FakeLark, since: number): { rev: number; messages: FakeMessage[] } {
    for (const m of fake.messages) {
      const shape = `${m.patches.length}:${m.urgent.length}`;
      const known = this.seen.get(m.messageId);
      if (known?.shape !== shape) this.seen.set(m.messageId, { shape, rev: ++this.rev });
    }
    return { rev: this.rev, messages: fake.messages.filter((m) => (this.seen.get(m.messageId)?.rev ?? 0) > since) };
  }

  revOf(m: FakeMessage) {
    return { rev: this.seen.get(m.messageId)?.rev ?? 0, mentions: this.mentions.get(m.messageId) ?? [] };
  }

  /** Who the @_user_N keys of a page message stand for, so the page can show their names. */
  remember(messageId: string, mentions: MentionSpec[]) {
    if (mentions.length) this.mentions.set(messageId, mentions);
  }
}

function view(m: FakeMessage, botOpenId: string, extra: { rev: number; mentions: MentionSpec[] }) {
  let content: unknown;
  try {
    content = JSON.parse(m.patches.at(-1) ?? m.content);
  } catch {
    content = { text: m.content };
  }
  return {
    id: m.messageId,
    chatId: m.chatId,
    rootId: m.rootId ?? null,
    parentId: m.parentId ?? null,
    sender: m.senderOpenId ?? null,
    fromBot: m.senderOpenId === botOpenId,
    msgType: m.msgType,
    content,
    updated: m.patches.length,
    createdAt: m.createdAt,
    urgent: m.urgent.flatMap((u) => u.openIds),
    /** Each buzz with its channel (app, sms, phone), in order: the page shows each kind as its own phone notification. */
    buzzes: m.urgent.flatMap((u) => u.openIds.map((openId) => ({ openId, kind: u.kind }))),
    mentions: extra.mentions.map((p, i) => ({ key: `@_user_${i + 1}`, openId: p.openId, name: p.name })),
    rev: extra.rev,
  };
}

async function listPeople(db: Db) {
  const rows = await db
    .select({ openId: people.openId, name: people.name, roles: people.roles, department: people.department, township: people.township })
    .from(people)
    .orderBy(asc(people.id));
  return rows;
}

/** The demo groups, any other bound group, and any group a message landed in. */
async function listChats(d: SandboxDeps) {
  const out: { id: string; kind: string; name: Bi }[] = DEMO_CHATS.map((c) => ({ id: c.chatId, kind: c.binding.kind, name: c.name }));
  const known = new Set(out.map((c) => c.id));
  for (const b of await allBindings(d.db)) {
    if (known.has(b.chatId)) continue;
    known.add(b.chatId);
    const label = b.kind === 'leaders' ? '领导群' : b.kind === 'duty' ? '值班群' : `${b.name}群`;
    out.push({ id: b.chatId, kind: b.kind, name: { zh: label, en: b.chatId } });
  }
  for (const m of d.fake.messages) {
    if (known.has(m.chatId) || m.chatId.startsWith(P2P_PREFIX)) continue;
    known.add(m.chatId);
    out.push({ id: m.chatId, kind: 'other', name: { zh: m.chatId, en: m.chatId } });
  }
  return out;
}

async function resolveName(d: SandboxDeps, name: string): Promise<MentionSpec | undefined> {
  if (name === d.botName) return { openId: d.fake.botOpenId, name };
  const rows = await listPeople(d.db);
  const p = rows.find((r) => r.name === name);
  return p ? { openId: p.openId, name: p.name } : undefined;
}

/** Signs and encrypts like Lark (wall-clock timestamp) and posts to the app's own webhook; in ws mode, pushes it down the long connection. */
async function deliver(d: SandboxDeps, envelope: unknown): Promise<Response> {
  if (d.eventMode === 'ws') {
    const ack = await d.fake.pushEvent(envelope);
    return new Response(JSON.stringify(ack.body ?? {}), { status: ack.code === 200 ? 200 : 502, headers: { 'content-type': 'application/json' } });
  }
  const req = await signedRequest(envelope, d.secrets);
  return d.post('/lark/events', { method: 'POST', body: req.body, headers: req.headers });
}

/** Where a reply goes: the thread of the message replied to (undefined: not a reply; null: no such message). */
function threadOf(fake: FakeLark, replyTo: unknown): { rootId: string; parentId: string } | undefined | null {
  if (replyTo === undefined || replyTo === null || replyTo === '') return undefined;
  const parent = typeof replyTo === 'string' ? fake.messages.find((m) => m.messageId === replyTo) : undefined;
  if (!parent) return null;
  return { rootId: parent.rootId ?? parent.messageId, parentId: parent.messageId };
}

function summarise(ran: Awaited<ReturnType<SandboxScheduler['advance']>>['ran']) {
  const jobs = new Map<string, { slots: number; queued: number; failed: number }>();
  for (const r of ran) {
    const j = jobs.get(r.job) ?? { slots: 0, queued: 0, failed: 0 };
    if (r.outcome.ran) {
      j.slots++;
      if ('queued' in r.outcome) j.queued += r.outcome.queued;
      else j.failed++;
    }
    jobs.set(r.job, j);
  }
  return { slots: ran.filter((r) => r.outcome.ran).length, jobs: Object.fromEntries(jobs) };
}

function fileNameOf(fake: FakeLark, m: FakeMessage): string | undefined {
  if (m.msgType !== 'file') return undefined;
  try {
    return fake.files.get((JSON.parse(m.content) as { file_key?: string }).file_key ?? '')?.name;
  } catch {
    return undefined;
  }
}

const mayPostIn = (as: string, chatId: string) => !chatId.startsWith(P2P_PREFIX) || chatId === `${P2P_PREFIX}${as}`;
const chatTypeOf = (chatId: string) => (chatId.startsWith(P2P_PREFIX) ? 'p2p' : 'group');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const personId = (v: unknown) => (typeof v === 'string' && /^ou_[A-Za-z0-9_-]{1,64}$/.test(v) ? v : undefined);
const chatIdOf = (v: unknown) => (typeof v === 'string' && /^oc_[A-Za-z0-9_-]{1,80}$/.test(v) ? v : undefined);

async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  try {
    const v: unknown = await c.req.json();
    return isObject(v) ? v : {};
  } catch {
    return {};
  }
}

/** The image type from its first bytes; undefined for anything that is not a common image. */
function imageType(b: Uint8Array): string | undefined {
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return 'image/gif';
  if (b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45) return 'image/webp';
  return undefined;
}
