import { chatInfoOf, classify, LarkApiError, type LarkClient, type SentMessage } from './client.ts';
import { own } from '../own.ts';

// LarkClient over plain fetch: what Workers run (see docs/adr/0010-workers-lark-client-and-d1.md). The same calls as the
// SDK client, the same classified errors, a tenant token cached until shortly before it expires.

const DOMAINS: Record<string, string> = { feishu: 'https://open.feishu.cn', lark: 'https://open.larksuite.com' };

export interface FetchClientOptions {
  appId: string;
  appSecret: string;
  /** feishu, lark, or a base URL. */
  domain: string;
  fetch?: typeof fetch;
  now?: () => number;
}

interface LarkBody {
  code?: number;
  msg?: string;
  data?: Record<string, unknown>;
  [k: string]: unknown;
}

export class FetchLarkClient implements LarkClient {
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  private readonly now: () => number;
  private token?: { value: string; expiresAt: number };

  constructor(private readonly o: FetchClientOptions) {
    this.base = (own(DOMAINS, o.domain) ?? o.domain).replace(/\/+$/, '');
    this.doFetch = o.fetch ?? ((input, init) => fetch(input, init));
    this.now = o.now ?? (() => Date.now());
  }

  async botInfo() {
    const res = await this.json('GET', '/open-apis/bot/v3/info');
    const bot = res.bot as { open_id?: string; app_name?: string } | undefined;
    if (!bot?.open_id) throw new LarkApiError('transient', 200, -1, 'bot info has no open_id');
    return { openId: bot.open_id, name: bot.app_name ?? '' };
  }

  async send(req: Parameters<LarkClient['send']>[0]): Promise<SentMessage> {
    const res = await this.json('POST', `/open-apis/im/v1/messages?receive_id_type=${encodeURIComponent(req.receiveIdType)}`, {
      receive_id: req.receiveId,
      msg_type: req.msgType,
      content: req.content,
      uuid: req.uuid,
    });
    return { messageId: String(res.data?.message_id ?? ''), chatId: res.data?.chat_id as string | undefined };
  }

  async reply(req: Parameters<LarkClient['reply']>[0]): Promise<SentMessage> {
    const res = await this.json('POST', `/open-apis/im/v1/messages/${encodeURIComponent(req.messageId)}/reply`, {
      msg_type: req.msgType,
      content: req.content,
      uuid: req.uuid,
      reply_in_thread: req.replyInThread ?? false,
    });
    return { messageId: String(res.data?.message_id ?? ''), chatId: res.data?.chat_id as string | undefined };
  }

  async patch(req: Parameters<LarkClient['patch']>[0]) {
    await this.json('PATCH', `/open-apis/im/v1/messages/${encodeURIComponent(req.messageId)}`, { content: req.content });
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
    await this.json('PATCH', `/open-apis/im/v1/messages/${encodeURIComponent(req.messageId)}/${path}?user_id_type=open_id`, { user_id_list: req.openIds });
  }

  async uploadImage(bytes: Uint8Array) {
    const form = new FormData();
    form.set('image_type', 'message');
    form.set('image', new Blob([bytes as unknown as ArrayBuffer]), 'image.png');
    const res = await this.call('POST', '/open-apis/im/v1/images', form);
    const key = res.data?.image_key as string | undefined;
    if (!key) throw new LarkApiError('transient', 200, -1, 'image upload returned no key');
    return { imageKey: key };
  }

  async uploadFile(req: Parameters<LarkClient['uploadFile']>[0]) {
    const form = new FormData();
    form.set('file_type', req.fileType);
    form.set('file_name', req.fileName);
    form.set('file', new Blob([req.bytes as unknown as ArrayBuffer]), req.fileName);
    const res = await this.call('POST', '/open-apis/im/v1/files', form);
    const key = res.data?.file_key as string | undefined;
    if (!key) throw new LarkApiError('transient', 200, -1, 'file upload returned no key');
    return { fileKey: key };
  }

  async messageResource(req: Parameters<LarkClient['messageResource']>[0]) {
    const path = `/open-apis/im/v1/messages/${encodeURIComponent(req.messageId)}/resources/${encodeURIComponent(req.fileKey)}?type=${req.type}`;
    const res = await this.authorized('GET', path);
    if (!res.ok) throw await errorOf(res);
    return new Uint8Array(await res.arrayBuffer());
  }

  async chatInfo(chatId: string) {
    const res = await this.json('GET', `/open-apis/im/v1/chats/${encodeURIComponent(chatId)}`);
    return chatInfoOf(res.data, this.o.appId);
  }

  async updateCard(req: Parameters<LarkClient['updateCard']>[0]) {
    await this.json('POST', '/open-apis/interactive/v1/card/update', { token: req.token, card: req.card });
  }

  private json(method: string, path: string, body?: unknown) {
    return this.call(method, path, body === undefined ? undefined : JSON.stringify(body));
  }

  /** One API call with the token; an invalid-token answer drops the token and tries once more. */
  private async call(method: string, path: string, body?: string | FormData): Promise<LarkBody> {
    try {
      return await this.once(method, path, body);
    } catch (e) {
      if (e instanceof LarkApiError && e.kind === 'invalid_token') {
        this.token = undefined;
        return this.once(method, path, body);
      }
      throw e;
    }
  }

  private async once(method: string, path: string, body?: string | FormData): Promise<LarkBody> {
    const res = await this.authorized(method, path, body);
    if (!res.ok) throw await errorOf(res);
    const parsed = (await res.json()) as LarkBody;
    if (typeof parsed.code === 'number' && parsed.code !== 0) throw new LarkApiError(classify(200, parsed.code), 200, parsed.code, parsed.msg ?? 'lark error');
    return parsed;
  }

  private async authorized(method: string, path: string, body?: string | FormData): Promise<Response> {
    const token = await this.tenantToken();
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (typeof body === 'string') headers['content-type'] = 'application/json; charset=utf-8';
    try {
      return await this.doFetch(`${this.base}${path}`, { method, headers, body });
    } catch (e) {
      throw new LarkApiError('transient', 0, -1, (e as Error)?.message ?? 'network error');
    }
  }

  private async tenantToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return this.token.value;
    let res: Response;
    try {
      res = await this.doFetch(`${this.base}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ app_id: this.o.appId, app_secret: this.o.appSecret }),
      });
    } catch (e) {
      throw new LarkApiError('transient', 0, -1, (e as Error)?.message ?? 'network error');
    }
    const body = (await res.json().catch(() => ({}))) as { code?: number; msg?: string; tenant_access_token?: string; expire?: number };
    if (!res.ok || !body.tenant_access_token) {
      const code = body.code ?? -1;
      // A token we cannot get is not fixed by asking again at once; treat a bad secret as permanent.
      throw new LarkApiError(res.status >= 500 ? 'transient' : classify(res.status, code) === 'invalid_token' ? 'permanent' : classify(res.status, code), res.status, code, body.msg ?? 'cannot get tenant token');
    }
    // Refresh three minutes early, as the SDK does.
    this.token = { value: body.tenant_access_token, expiresAt: this.now() + ((body.expire ?? 7200) - 180) * 1000 };
    return this.token.value;
  }
}

async function errorOf(res: Response): Promise<LarkApiError> {
  const body = (await res.json().catch(() => ({}))) as { code?: number; msg?: string };
  const code = typeof body.code === 'number' ? body.code : -1;
  const reset = Number(res.headers.get('x-ogw-ratelimit-reset'));
  return new LarkApiError(classify(res.status, code), res.status, code, body.msg ?? `HTTP ${res.status}`, Number.isFinite(reset) && reset > 0 ? reset : undefined);
}
