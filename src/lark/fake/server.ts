// A fake Lark Open API over real HTTP, for the tests and the app's sandbox mode.
// The real @larksuiteoapi/node-sdk Client works against it: pass `domain: fake.url`.
// This file is the HTTP plumbing — routing, auth, fault injection, latency, call recording and
// the /_fake control routes; what each endpoint does lives in api.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INVALID_TOKEN_MSG, LarkCode, LarkState, failure, type LarkReply, type LarkRequest } from './api.ts';
import { multipartBoundary, parseMultipart, type MultipartForm } from './multipart.ts';
import type { FakeWorkspace } from './workspace.ts';
import { FakeLongConnection, type Delivery, type LongConnectionStatus } from './long-connection.ts';
import type {
  FakeCall,
  FakeCardUpdate,
  FakeChat,
  FakeFailure,
  FakeFaults,
  FakeFaultStats,
  FakeFile,
  FakeLark,
  FakeLarkOptions,
  FakeMessage,
  NewUserMessage,
} from './types.ts';

export type {
  FakeFaults,
  FakeFaultStats,
  FakeCall,
  FakeCardUpdate,
  FakeChat,
  FakeFailure,
  FakeFile,
  FakeLark,
  FakeLarkOptions,
  FakeMessage,
  NewUserMessage,
  RateLimits,
} from './types.ts';
export { LarkCode, p2pChatId } from './api.ts';
export type { FakeWorkspace, FakeTask, FakeCalendarEvent, FakeBitableTable } from './workspace.ts';

const DEFAULTS = {
  appId: 'cli_fake',
  appSecret: 'fake-secret',
  host: '127.0.0.1',
  port: 0,
  botOpenId: 'ou_bot',
  botName: '安全值守助手',
  rateLimits: { perSecond: 50, perMinute: 1000, perChatPerSecond: 5 },
} as const;

const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';
/** Where the SDK's WSClient asks for its long-connection URL (event subscription: no tenant token, not billed). */
const WS_ENDPOINT_PATH = '/callback/ws/endpoint';
const CONTROL_PREFIX = '/_fake/';
/** Generous enough for Lark's 30 MB file cap plus multipart framing; protects the sandbox from runaway bodies. */
const MAX_BODY_BYTES = 40 * 1024 * 1024;
/** Lark's generic "bad request" code, for bodies the fake cannot even parse. */
const BAD_REQUEST_CODE = 9499;

// ── routing ─────────────────────────────────────────────────────────────────────────

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  /** false only for the token endpoint: everything else needs a tenant token. */
  auth: boolean;
  handle: (state: LarkState, req: LarkRequest) => LarkReply;
}

/** Compiles a Lark-docs style path (`/messages/:message_id/reply`) into a matcher. */
function route(method: string, path: string, handle: Route['handle'], auth = true): Route {
  const keys: string[] = [];
  const source = path.replace(/:([a-z_]+)/g, (_, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}$`), keys, auth, handle };
}

const ROUTES: Route[] = [
  route('POST', TOKEN_PATH, (s, r) => s.issueToken(r), false),
  route('GET', '/open-apis/bot/v3/info', (s) => s.botInfo()),
  route('POST', '/open-apis/im/v1/messages', (s, r) => s.sendMessage(r)),
  route('POST', '/open-apis/im/v1/messages/:message_id/reply', (s, r) => s.replyMessage(r)),
  route('PATCH', '/open-apis/im/v1/messages/:message_id', (s, r) => s.patchMessage(r)),
  route('PATCH', '/open-apis/im/v1/messages/:message_id/urgent_app', (s, r) => s.urgent('app', r)),
  route('PATCH', '/open-apis/im/v1/messages/:message_id/urgent_sms', (s, r) => s.urgent('sms', r)),
  route('PATCH', '/open-apis/im/v1/messages/:message_id/urgent_phone', (s, r) => s.urgent('phone', r)),
  route('GET', '/open-apis/im/v1/messages/:message_id/resources/:file_key', (s, r) => s.messageResource(r)),
  route('POST', '/open-apis/im/v1/images', (s, r) => s.uploadImage(r)),
  route('GET', '/open-apis/im/v1/images/:image_key', (s, r) => s.downloadImage(r)),
  route('POST', '/open-apis/im/v1/files', (s, r) => s.uploadFile(r)),
  route('POST', '/open-apis/interactive/v1/card/update', (s, r) => s.updateCard(r)),
  route('GET', '/open-apis/im/v1/chats/:chat_id', (s, r) => s.chatInfo(r)),
  // Mirrors (issue 19): task v2, calendar v4, bitable v1 — src/lark/fake/workspace.ts.
  route('POST', '/open-apis/task/v2/tasks', (s, r) => s.workspace.createTask(r)),
  route('PATCH', '/open-apis/task/v2/tasks/:task_guid', (s, r) => s.workspace.patchTask(r)),
  route('POST', '/open-apis/task/v2/tasks/:task_guid/add_members', (s, r) => s.workspace.changeTaskMembers(true, r)),
  route('POST', '/open-apis/task/v2/tasks/:task_guid/remove_members', (s, r) => s.workspace.changeTaskMembers(false, r)),
  route('POST', '/open-apis/task/v2/tasklists', (s, r) => s.workspace.createTasklist(r)),
  route('POST', '/open-apis/task/v2/tasklists/:tasklist_guid/activity_subscriptions', (s, r) => s.workspace.subscribeTasklist(r)),
  route('POST', '/open-apis/calendar/v4/calendars', (s, r) => s.workspace.createCalendar(r)),
  route('POST', '/open-apis/calendar/v4/calendars/:calendar_id/events', (s, r) => s.workspace.createEvent(r)),
  route('PATCH', '/open-apis/calendar/v4/calendars/:calendar_id/events/:event_id', (s, r) => s.workspace.patchEvent(r)),
  route('DELETE', '/open-apis/calendar/v4/calendars/:calendar_id/events/:event_id', (s, r) => s.workspace.deleteEvent(r)),
  route('POST', '/open-apis/calendar/v4/calendars/:calendar_id/events/:event_id/attendees', (s, r) => s.workspace.changeAttendees(true, r)),
  route('POST', '/open-apis/calendar/v4/calendars/:calendar_id/events/:event_id/attendees/batch_delete', (s, r) => s.workspace.changeAttendees(false, r)),
  route('GET', '/open-apis/bitable/v1/apps/:app_token/tables/:table_id/fields', (s, r) => s.workspace.listFields(r)),
  route('POST', '/open-apis/bitable/v1/apps/:app_token/tables/:table_id/fields', (s, r) => s.workspace.createField(r)),
  route('POST', '/open-apis/bitable/v1/apps/:app_token/tables/:table_id/records/batch_create', (s, r) => s.workspace.createRecords(r)),
  route('POST', '/open-apis/bitable/v1/apps/:app_token/tables/:table_id/records/batch_update', (s, r) => s.workspace.updateRecords(r)),
];

function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } | null {
  for (const candidate of ROUTES) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    candidate.keys.forEach((key, i) => (params[key] = decodeURIComponent(match[i + 1])));
    return { route: candidate, params };
  }
  return null;
}

// ── request bodies ──────────────────────────────────────────────────────────────────

/** Collects the body; `null` when it exceeds MAX_BODY_BYTES (the rest is drained and dropped). */
function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : null));
    req.on('error', reject);
  });
}

interface ParsedBody {
  json?: unknown;
  form?: MultipartForm;
  error?: string;
}

function parseBody(contentType: string | undefined, raw: Buffer): ParsedBody {
  if (raw.length === 0) return {};
  const boundary = multipartBoundary(contentType);
  try {
    if (boundary) return { form: parseMultipart(raw, boundary) };
    return { json: JSON.parse(raw.toString('utf8')) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** What `calls` records of a body: JSON as sent (secrets masked), uploads as sizes — never the bytes. */
function describeBody(body: ParsedBody): unknown {
  if (body.form) {
    const files = Object.fromEntries(
      Object.values(body.form.parts)
        .filter((p) => !(p.name in body.form!.fields))
        .map((p) => [p.name, { filename: p.filename, contentType: p.contentType, size: p.bytes.length }]),
    );
    return { fields: body.form.fields, files };
  }
  if (body.json && typeof body.json === 'object' && 'app_secret' in body.json) {
    return { ...body.json, app_secret: '***' };
  }
  return body.json;
}

function queryRecord(url: URL): Record<string, string> {
  return Object.fromEntries(url.searchParams.entries());
}

function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

// ── responses ───────────────────────────────────────────────────────────────────────

function writeReply(res: ServerResponse, reply: LarkReply): void {
  // The client may have given up (timeout) while we were "slow"; nothing left to answer.
  if (res.destroyed || res.writableEnded) return;
  const payload = reply.bytes ? Buffer.from(reply.bytes) : Buffer.from(JSON.stringify(reply.json ?? {}));
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-type': reply.bytes ? 'application/octet-stream' : 'application/json; charset=utf-8',
    'content-length': String(payload.length),
  });
  res.end(payload);
}

function writeJson(res: ServerResponse, status: number, value: unknown): void {
  const payload = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(payload.length) });
  res.end(payload);
}

// ── fault injection ─────────────────────────────────────────────────────────────────

function assertValidFailure(count: number, f: FakeFailure): void {
  if (!Number.isInteger(count) || count < 0) throw new RangeError('failNext: count must be a whole number ≥ 0');
  if (!Number.isInteger(f.status) || f.status < 100 || f.status > 599) {
    throw new RangeError('failNext: status must be an HTTP status');
  }
  if (!Number.isInteger(f.code)) throw new RangeError('failNext: code must be an integer');
  if (f.resetSeconds !== undefined && !(f.resetSeconds >= 0)) throw new RangeError('failNext: resetSeconds must be ≥ 0');
}

function injectedReply(f: FakeFailure): LarkReply {
  const headers = f.resetSeconds === undefined ? undefined : { 'x-ogw-ratelimit-reset': String(f.resetSeconds) };
  return failure(f.status, f.code, f.msg ?? 'injected failure', headers);
}

// ── the server ──────────────────────────────────────────────────────────────────────

class FakeLarkServer implements FakeLark {
  readonly calls: FakeCall[] = [];
  readonly messages: FakeMessage[];
  readonly images: Map<string, Uint8Array>;
  readonly files: Map<string, FakeFile>;
  readonly cardUpdates: FakeCardUpdate[];
  readonly workspace: FakeWorkspace;
  url = '';

  private readonly server: Server;
  private readonly failures: { remaining: number; failure: FakeFailure }[] = [];
  private latencyMs = 0;
  private faults: FakeFaults | undefined;
  private faultBag: FakeFaults['kinds'][number][] = [];
  /** Calls that have met the current faults (for `firstFailing`). */
  private faultsDrawn = 0;
  /** Until when an app-wide 429 (injected or real) told the app to hold back. */
  private appResetUntil = 0;
  readonly faultStats: FakeFaultStats = { injected: { '500': 0, '429': 0, timeout: 0 }, callsInResetWindow: 0 };
  private readonly delays = new Set<NodeJS.Timeout>();
  private closing: Promise<void> | null = null;
  private readonly longConnection: FakeLongConnection;

  constructor(
    private readonly state: LarkState,
    readonly appId: string,
    readonly appSecret: string,
    readonly botOpenId: string,
    private readonly now: () => number,
  ) {
    // The public collections ARE the state's, so tests can hold on to them across calls.
    this.messages = state.messages;
    this.images = state.images;
    this.files = state.files;
    this.cardUpdates = state.cardUpdates;
    this.workspace = state.workspace;
    this.longConnection = new FakeLongConnection(appId, appSecret, () => this.url);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        console.error('fake lark: request failed', e);
        if (!res.headersSent) writeJson(res, 500, { code: 500, msg: 'fake lark internal error' });
        else res.destroy();
      });
    });
    this.server.on('upgrade', (req, socket, head) => {
      if (!this.longConnection.upgrade(req, socket, head)) socket.destroy();
    });
  }

  async listen(host: string, port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port: bound } = this.server.address() as AddressInfo;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  }

  // ── FakeLark API ──

  failNext(count: number, failure: FakeFailure): void {
    assertValidFailure(count, failure);
    if (count > 0) this.failures.push({ remaining: count, failure: { ...failure } });
  }

  setFaults(faults: FakeFaults | undefined): void {
    if (faults && !(faults.rate >= 0 && faults.rate <= 1)) throw new RangeError('setFaults: rate must be in [0, 1]');
    this.faults = faults;
    this.faultBag = [];
    this.faultsDrawn = 0;
  }

  setLatency(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('setLatency: ms must be ≥ 0');
    this.latencyMs = ms;
  }

  expireTokens(): void {
    this.state.expireTokens();
  }

  addMessage(m: NewUserMessage): FakeMessage {
    return this.state.addMessage(m);
  }

  addResource(messageId: string, fileKey: string, bytes: Uint8Array): void {
    this.state.addResource(messageId, fileKey, bytes);
  }

  applyCallbackCard(messageId: string, card: unknown): boolean {
    return this.state.applyCallbackCard(messageId, card);
  }

  onMessage(listener: (m: FakeMessage) => void): () => void {
    return this.state.onMessage(listener);
  }

  setUrgentQuota(quota: Partial<Record<'sms' | 'phone', number>>): void {
    this.state.setUrgentQuota(quota);
  }

  setUnreadUrgent(openId: string, count: number): void {
    this.state.setUnreadUrgent(openId, count);
  }

  setChat(chatId: string, chat: Partial<FakeChat>): FakeChat {
    return this.state.setChat(chatId, chat);
  }

  issueCardToken(): string {
    return this.state.issueCardToken();
  }

  callsThisMonth(): number {
    return this.state.callsThisMonth();
  }

  setMonthlyQuota(quota: number | undefined): void {
    this.state.setMonthlyQuota(quota);
  }

  pushEvent(envelope: unknown): Promise<Delivery> {
    return this.longConnection.push(envelope);
  }

  dropLongConnection(opts: { beforeNextAck?: boolean } = {}): void {
    if (opts.beforeNextAck) this.longConnection.dropBeforeNextAck();
    else this.longConnection.drop();
  }

  longConnectionStatus(): LongConnectionStatus {
    return this.longConnection.status();
  }

  private readonly callListeners = new Set<(c: FakeCall) => void>();
  onCall(listener: (c: FakeCall) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  reset(): void {
    this.calls.length = 0;
    this.failures.length = 0;
    this.latencyMs = 0;
    this.faults = undefined;
    this.faultBag = [];
    this.faultsDrawn = 0;
    this.appResetUntil = 0;
    this.faultStats.injected = { '500': 0, '429': 0, timeout: 0 };
    this.faultStats.callsInResetWindow = 0;
    this.state.reset();
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const timer of this.delays) clearTimeout(timer);
      this.delays.clear();
      this.longConnection.close();
      this.server.close(() => resolve());
      // The SDK's axios keeps connections alive; without this, close() would wait for them to idle out.
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  // ── HTTP ──

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const raw = await readBody(req);
    if (raw === null) {
      writeReply(res, failure(413, BAD_REQUEST_CODE, 'request body too large'));
      return;
    }
    const body = parseBody(req.headers['content-type'], raw);
    if (url.pathname === WS_ENDPOINT_PATH && req.method === 'POST') {
      writeJson(res, 200, this.longConnection.endpoint(body.json));
      return;
    }
    // The control plane is for a CLI watching the sandbox: never slowed, failed or recorded.
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      this.control(req.method ?? 'GET', url, body, res);
      return;
    }
    const latency = this.latencyMs;
    const isOpenApi = url.pathname !== TOKEN_PATH;
    const at = this.now();
    if (isOpenApi && at < this.appResetUntil) this.faultStats.callsInResetWindow++;
    const fault = isOpenApi ? this.randomFault(req.method ?? 'GET', url.pathname) : undefined;
    const reply = fault && fault !== 'timeout' ? injectedReply(fault) : this.answer(req, url, body);
    if (reply.json?.code === LarkCode.appRateLimited) {
      const reset = Number(reply.headers?.['x-ogw-ratelimit-reset'] ?? 1);
      this.appResetUntil = Math.max(this.appResetUntil, at + reset * 1000);
    }
    const call: FakeCall = {
      at: this.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: queryRecord(url),
      body: describeBody(body),
      status: reply.status,
      code: reply.json?.code ?? 0,
    };
    this.calls.push(call);
    for (const listener of this.callListeners) listener(call);
    // The call takes effect now and only the answer is late, like a slow network: a client
    // that times out and retries with the same uuid must find its first message already there.
    await this.delay(latency);
    // A timeout as the client sees it: the call took effect, and no answer ever comes.
    if (fault === 'timeout') res.destroy();
    else writeReply(res, reply);
  }

  /** One of the configured random faults, or undefined (most calls). */
  private randomFault(method: string, path: string): FakeFailure | 'timeout' | undefined {
    const f = this.faults;
    if (!f || !f.kinds.length || (f.match && !f.match({ method, path }))) return undefined;
    const sure = this.faultsDrawn++ < (f.firstFailing ?? 0);
    if (!sure && f.random() >= f.rate) return undefined;
    // Drawn from a shuffled bag holding each kind once, so every kind shows within any `kinds.length`
    // faults: a short run still sees a timeout and a 429, and a seed still repeats the run exactly.
    if (!this.faultBag.length) {
      this.faultBag = [...f.kinds];
      for (let i = this.faultBag.length - 1; i > 0; i--) {
        const j = Math.floor(f.random() * (i + 1));
        [this.faultBag[i], this.faultBag[j]] = [this.faultBag[j], this.faultBag[i]];
      }
    }
    const kind = this.faultBag.pop()!;
    this.faultStats.injected[kind]++;
    if (kind === 'timeout') return 'timeout';
    if (kind === '429') return { status: 429, code: LarkCode.appRateLimited, msg: 'request trigger frequency limit', resetSeconds: f.resetSeconds ?? 1 };
    return { status: 500, code: 1500, msg: 'internal error (injected)' };
  }

  /** The Lark answer to one Open API request, in gateway order: route, injected failure, auth, body. */
  private answer(req: IncomingMessage, url: URL, body: ParsedBody): LarkReply {
    const matched = matchRoute(req.method ?? 'GET', url.pathname);
    if (!matched) return failure(404, 404, 'not found');
    if (url.pathname !== TOKEN_PATH) {
      const injected = this.takeFailure(url.pathname);
      if (injected) return injected;
    }
    if (matched.route.auth && !this.state.isValidToken(bearerToken(req))) {
      return failure(400, LarkCode.invalidToken, INVALID_TOKEN_MSG);
    }
    if (body.error) return failure(400, BAD_REQUEST_CODE, `bad request body: ${body.error}`);
    // Authentication calls do not count against the free edition's monthly quota; the rest do.
    const counted = matched.route.auth;
    if (counted) {
      const spent = this.state.quotaRefusal();
      if (spent) return spent;
    }
    const reply = matched.route.handle(this.state, {
      params: matched.params,
      query: queryRecord(url),
      json: body.json,
      form: body.form,
    });
    if (counted) this.state.countCall(reply);
    return reply;
  }

  /** The first queued failure meant for this path (a failure with `path` only hits calls under it). */
  private takeFailure(pathname: string): LarkReply | null {
    const i = this.failures.findIndex((f) => f.failure.path === undefined || pathname.startsWith(f.failure.path));
    if (i < 0) return null;
    const next = this.failures[i];
    if (--next.remaining === 0) this.failures.splice(i, 1);
    return injectedReply(next.failure);
  }

  private delay(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.delays.delete(timer);
        resolve();
      }, ms);
      this.delays.add(timer);
    });
  }

  // ── control routes (no auth), for a CLI in another process ──

  private control(method: string, url: URL, body: ParsedBody, res: ServerResponse): void {
    const path = url.pathname.slice(CONTROL_PREFIX.length);
    const since = url.searchParams.has('since') ? Number(url.searchParams.get('since')) : undefined;
    if (since !== undefined && !Number.isFinite(since)) return writeJson(res, 400, { error: 'since must be a number (ms)' });
    const input = (body.json ?? {}) as Record<string, unknown>;
    try {
      const key = `${method} ${path}`;
      if (key === 'GET messages') return writeJson(res, 200, this.state.messagesChangedSince(since));
      if (key === 'GET calls') return writeJson(res, 200, this.calls.filter((c) => since === undefined || c.at >= since));
      if (key === 'POST fail') {
        this.failNext(input.count as number, {
          status: input.status as number,
          code: input.code as number,
          msg: typeof input.msg === 'string' ? input.msg : undefined,
          resetSeconds: input.resetSeconds as number | undefined,
        });
        return writeJson(res, 200, { ok: true });
      }
      if (key === 'POST latency') {
        this.setLatency(input.ms as number);
        return writeJson(res, 200, { ok: true });
      }
      if (key === 'POST reset') {
        this.reset();
        return writeJson(res, 200, { ok: true });
      }
      if (key === 'POST user-messages') {
        // `npm run say` and the sandbox page post a user's message here first, so the bot can reply to it.
        if (typeof input.chatId !== 'string' || typeof input.content !== 'string' || typeof input.msgType !== 'string') {
          return writeJson(res, 400, { error: 'chatId, content and msgType are required' });
        }
        return writeJson(res, 200, this.addMessage(input as NewUserMessage));
      }
      if (key === 'POST events') {
        // `npm run say` and the sandbox page in ws mode: the event goes down the long connection.
        void this.pushEvent(input).then(
          (d) => writeJson(res, 200, d),
          (e) => writeJson(res, 500, { error: String(e) }),
        );
        return;
      }
      if (key === 'POST expire-tokens') {
        this.expireTokens();
        return writeJson(res, 200, { ok: true });
      }
      return writeJson(res, 404, { error: `no control route ${key}` });
    } catch (e) {
      // failNext/setLatency validate their input by throwing RangeError.
      return writeJson(res, 400, { error: e instanceof Error ? e.message : String(e) });
    }
  }
}

/** Starts the fake on 127.0.0.1 and a random port unless told otherwise. */
export async function startFakeLark(options: FakeLarkOptions = {}): Promise<FakeLark> {
  const now = options.now ?? Date.now;
  const appId = options.appId ?? DEFAULTS.appId;
  const appSecret = options.appSecret ?? DEFAULTS.appSecret;
  const botOpenId = options.botOpenId ?? DEFAULTS.botOpenId;
  const state = new LarkState({
    appId,
    appSecret,
    botOpenId,
    botName: options.botName ?? DEFAULTS.botName,
    rateLimits: options.rateLimits ?? { ...DEFAULTS.rateLimits },
    now,
    monthlyQuota: options.monthlyQuota,
  });
  const fake = new FakeLarkServer(state, appId, appSecret, botOpenId, now);
  await fake.listen(options.host ?? DEFAULTS.host, options.port ?? DEFAULTS.port);
  return fake;
}
