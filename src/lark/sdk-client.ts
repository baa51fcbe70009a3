import type * as lark from '@larksuiteoapi/node-sdk';
import type * as Sdk from '@larksuiteoapi/node-sdk';
import { larkSdk } from './sdk.ts';
import { chatInfoOf, classify, LarkApiError, type LarkClient, type SentMessage } from './client.ts';
import type { Logger } from '../log.ts';
import { SdkWorkspaceClient } from './sdk-workspace.ts';
import type { WorkspaceClient } from './workspace.ts';

interface CacheEntry { value: unknown; expiresAt: number }

/** A token cache we own, so an invalid-token answer can drop the token and fetch a fresh one. */
class TokenCache {
  private entries = new Map<string, CacheEntry>();
  async get(key: string | Symbol, opts?: { namespace?: string }) {
    const e = this.entries.get(cacheKey(key, opts));
    if (!e || e.expiresAt <= Date.now()) return undefined;
    return e.value;
  }
  async set(key: string | Symbol, value: unknown, expiresAt?: number, opts?: { namespace?: string }) {
    this.entries.set(cacheKey(key, opts), { value, expiresAt: expiresAt ?? Number.POSITIVE_INFINITY });
    return true;
  }
  clear() {
    this.entries.clear();
  }
}
const cacheKey = (key: string | Symbol, opts?: { namespace?: string }) => `${opts?.namespace ?? ''}:${String(key)}`;

export interface SdkClientOptions {
  appId: string;
  appSecret: string;
  /** feishu, lark, or a base URL (the fake server in tests and the sandbox). */
  domain: string;
  log: Logger;
  /** How long one HTTP call to Lark may take before it fails as transient (default 60 s). */
  httpTimeoutMs?: number;
}

/**
 * The SDK's own axios instance, with a timeout on every call it makes — ours and its token fetch.
 * Without one a call whose answer never comes (a dropped connection on a bureau's network) never
 * ends: an upload for /export or a chart, a photo download or a group lookup would hold the
 * command, and with it the person waiting for an answer, for good. The sender adds its own
 * shorter limit on top.
 */
function timedHttp(ms: number): Sdk.HttpInstance {
  const base = larkSdk.defaultHttpInstance as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  // Where each method takes its options: request(options), get(url, options), post(url, data, options).
  const optionsAt = { request: 0, get: 1, delete: 1, head: 1, options: 1, post: 2, put: 2, patch: 2 } as const;
  const timed: Record<string, unknown> = {};
  for (const [name, at] of Object.entries(optionsAt)) {
    timed[name] = (...args: unknown[]) => {
      const o = (args[at] ?? {}) as { timeout?: number };
      args[at] = { ...o, timeout: o.timeout ?? ms };
      return base[name].apply(base, args);
    };
  }
  return timed as unknown as Sdk.HttpInstance;
}

type RequestPayload = Parameters<lark.Client['request']>[0];

/** LarkClient over the official SDK's generic `request`, one place to map errors. */
export class SdkLarkClient implements LarkClient {
  private readonly sdk: lark.Client;
  private readonly cache = new TokenCache();

  private readonly appId: string;

  constructor(opts: SdkClientOptions) {
    this.appId = opts.appId;
    const domain = opts.domain === 'feishu' ? larkSdk.Domain.Feishu : opts.domain === 'lark' ? larkSdk.Domain.Lark : opts.domain;
    // The SDK logs whole axios errors (request config, headers with tokens) at error level;
    // we report failures ourselves, so its logger only passes short messages through at debug.
    const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
    this.sdk = new larkSdk.Client({
      appId: opts.appId,
      appSecret: opts.appSecret,
      domain,
      cache: this.cache,
      httpInstance: timedHttp(opts.httpTimeoutMs ?? 60_000),
      logger: quiet,
      loggerLevel: larkSdk.LoggerLevel.error,
    });
  }

  async botInfo() {
    const res = await this.call<{ bot?: { open_id?: string; app_name?: string } }>({ method: 'GET', url: '/open-apis/bot/v3/info' });
    if (!res.bot?.open_id) throw new LarkApiError('transient', 200, -1, 'bot info has no open_id');
    return { openId: res.bot.open_id, name: res.bot.app_name ?? '' };
  }

  async send(req: Parameters<LarkClient['send']>[0]): Promise<SentMessage> {
    const res = await this.call<{ data?: { message_id?: string; chat_id?: string } }>({
      method: 'POST',
      url: '/open-apis/im/v1/messages',
      params: { receive_id_type: req.receiveIdType },
      data: { receive_id: req.receiveId, msg_type: req.msgType, content: req.content, uuid: req.uuid },
    });
    return { messageId: res.data?.message_id ?? '', chatId: res.data?.chat_id };
  }

  async reply(req: Parameters<LarkClient['reply']>[0]): Promise<SentMessage> {
    const res = await this.call<{ data?: { message_id?: string; chat_id?: string } }>({
      method: 'POST',
      url: `/open-apis/im/v1/messages/${encodeURIComponent(req.messageId)}/reply`,
      data: { msg_type: req.msgType, content: req.content, uuid: req.uuid, reply_in_thread: req.replyInThread ?? false },
    });
    return { messageId: res.data?.message_id ?? '', chatId: res.data?.chat_id };
  }

  async patch(req: Parameters<LarkClient['patch']>[0]) {
    await this.call({ method: 'PATCH', url: `/open-apis/im/v1/messages/${encodeURIComponent(req.messageId)}`, data: { content: req.content } });
  }

  async urgentApp(req: Parameters<LarkClient['urgentApp']>[0]) {
    await this.urgent('urgent_app', req);
  }

  async urgentSms(req: Parameters<LarkClient['urgentSms']>[0]) {
    await this.urgent('urgent_sms', req);
  }

  async urgentPhone(req: Parameters<LarkClient['urgentPhone']>[0]) {
    await this.urgent('urgent_phone', req);
  }

  private async urgent(path: 'urgent_app' | 'urgent_sms' | 'urgent_phone', req: { messageId: string; openIds: string[] }) {
    await this.call({
      method: 'PATCH',
      url: `/open-apis/im/v1/messages/${encodeURIComponent(req.messageId)}/${path}`,
      params: { user_id_type: 'open_id' },
      data: { user_id_list: req.openIds },
    });
  }

  async uploadImage(bytes: Uint8Array) {
    const res = await this.guard(() =>
      this.sdk.im.image.create({ data: { image_type: 'message', image: Buffer.from(bytes) } }),
    );
    const key = (res as { image_key?: string } | null)?.image_key;
    if (!key) throw new LarkApiError('transient', 200, -1, 'image upload returned no key');
    return { imageKey: key };
  }

  async uploadFile(req: Parameters<LarkClient['uploadFile']>[0]) {
    const res = await this.guard(() =>
      this.sdk.im.file.create({ data: { file_type: req.fileType, file_name: req.fileName, file: Buffer.from(req.bytes) } }),
    );
    const key = (res as { file_key?: string } | null)?.file_key;
    if (!key) throw new LarkApiError('transient', 200, -1, 'file upload returned no key');
    return { fileKey: key };
  }

  async messageResource(req: Parameters<LarkClient['messageResource']>[0]) {
    const res = await this.guard(() =>
      this.sdk.request({
        method: 'GET',
        url: `/open-apis/im/v1/messages/${encodeURIComponent(req.messageId)}/resources/${encodeURIComponent(req.fileKey)}`,
        params: { type: req.type },
        responseType: 'arraybuffer',
      } as RequestPayload),
    );
    return new Uint8Array(res as ArrayBuffer);
  }

  async chatInfo(chatId: string) {
    const res = await this.call<{ data?: Record<string, unknown> }>({ method: 'GET', url: `/open-apis/im/v1/chats/${encodeURIComponent(chatId)}` });
    return chatInfoOf(res.data, this.appId);
  }

  async updateCard(req: Parameters<LarkClient['updateCard']>[0]) {
    await this.call({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token: req.token, card: req.card } });
  }

  /** Tasks, Calendar and Bitable over the same SDK client, token cache and error mapping. */
  workspace(): WorkspaceClient {
    return new SdkWorkspaceClient(this.sdk, (fn) => this.guard(fn));
  }

  /** A JSON call: code 0 or a classified LarkApiError. */
  private async call<T>(payload: RequestPayload): Promise<T> {
    const res = (await this.guard(() => this.sdk.request(payload))) as { code?: number; msg?: string } & T;
    if (res && typeof res === 'object' && typeof res.code === 'number' && res.code !== 0) {
      throw new LarkApiError(classify(200, res.code), 200, res.code, res.msg ?? 'lark error');
    }
    return res;
  }

  /** Runs a request, refreshing the tenant token once if Lark says it is invalid. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await this.unwrap(fn);
    } catch (e) {
      if (e instanceof LarkApiError && e.kind === 'invalid_token') {
        this.cache.clear();
        return this.unwrap(fn);
      }
      throw e;
    }
  }

  private async unwrap<T>(fn: () => Promise<T>): Promise<T> {
    let res: T;
    try {
      res = await fn();
    } catch (e) {
      throw toLarkError(e);
    }
    const code = (res as { code?: number } | null)?.code;
    if (typeof code === 'number' && code !== 0) {
      throw new LarkApiError(classify(200, code), 200, code, (res as { msg?: string }).msg ?? 'lark error');
    }
    return res;
  }
}

/** Maps an axios error (what the SDK throws on non-2xx) to a LarkApiError; never keeps the request config. */
function toLarkError(e: unknown): LarkApiError {
  if (e instanceof LarkApiError) return e;
  const err = e as { response?: { status?: number; data?: unknown; headers?: Record<string, unknown> }; message?: string; code?: string };
  const status = err.response?.status ?? 0;
  let data = err.response?.data as { code?: number; msg?: string } | ArrayBuffer | undefined;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    try {
      data = JSON.parse(new TextDecoder().decode(data as ArrayBuffer));
    } catch {
      data = undefined;
    }
  }
  const body = (data ?? {}) as { code?: number; msg?: string };
  const code = typeof body.code === 'number' ? body.code : -1;
  const reset = Number(err.response?.headers?.['x-ogw-ratelimit-reset']);
  const msg = body.msg ?? (status ? `HTTP ${status}` : (err.code ?? err.message ?? 'network error'));
  // A token-endpoint failure comes back as a plain Error mentioning the code.
  const tokenCode = /code[^0-9]*(\d{5,})/.exec(err.message ?? '')?.[1];
  const finalCode = code === -1 && tokenCode ? Number(tokenCode) : code;
  return new LarkApiError(classify(status, finalCode), status, finalCode, msg, Number.isFinite(reset) && reset > 0 ? reset : undefined);
}
