// What each fake Open API endpoint does: the state (tokens, messages, uploads) and the Lark
// semantics around it (uuid idempotency, rate limits, error codes). No HTTP here — server.ts
// turns requests into `LarkRequest`s and `LarkReply`s back into responses.
import { randomBytes } from 'node:crypto';
import type { MultipartForm } from './multipart.ts';
import { FakeWorkspace } from './workspace.ts';
import { RateLimiter, SlidingWindow, type Refusal } from './rate-limit.ts';
import type { FakeCardUpdate, FakeChat, FakeFile, FakeMessage, NewUserMessage, RateLimits } from './types.ts';

export interface LarkRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  /** Parsed JSON body (undefined when there was none). */
  json: unknown;
  /** Parsed multipart body, for the upload endpoints. */
  form?: MultipartForm;
}

export interface LarkReply {
  status: number;
  /** A JSON answer; Lark's envelope carries `code` (0 = success). */
  json?: { code: number; msg: string; [key: string]: unknown };
  /** A binary answer (downloads). */
  bytes?: Uint8Array;
  headers?: Record<string, string>;
}

/** The Lark error codes the fake answers with. */
export const LarkCode = {
  ok: 0,
  badAppSecret: 10014,
  invalidToken: 99991663,
  appRateLimited: 99991400,
  fieldValidation: 99992402,
  invalidRequest: 230001,
  messageGone: 230011,
  /** Buzz: the bot is not the sender of the message. */
  notMessageSender: 230012,
  /** Buzz: the user has more than 200 unread urgent messages. */
  tooManyUnreadUrgent: 230023,
  /** Buzz: the tenant's SMS/phone buzz quota is used up. */
  urgentQuotaReached: 230024,
  chatRateLimited: 230020,
  contentTooLong: 230025,
  /** A message can only be patched within 14 days of being sent. */
  patchWindowClosed: 230031,
  /** 加急 in a group where only the owner and managers may buzz, and the bot is neither. */
  cannotUrgent: 230052,
  /** The free edition's monthly API call quota is spent (HTTP 429). */
  monthlyQuotaExceeded: 99991403,
  /** Delayed card update: token malformed, expired (30 min), used more than twice. */
  cardTokenInvalid: 300020,
  cardTokenExpired: 300030,
  cardTokenOverused: 300040,
  invalidResourceParam: 234001,
  fileNotInMessage: 234003,
} as const;

export const INVALID_TOKEN_MSG = 'Invalid access token for authorization. Please make a request with token attached.';

const TOKEN_TTL_SECONDS = 7200;
/** Lark remembers a message uuid for an hour. */
const UUID_MEMORY_MS = 60 * 60 * 1000;
const UUID_MAX_LENGTH = 50;
const DAY_MS = 24 * 60 * 60 * 1000;
/** 更新已发送的消息卡片: only messages sent in the last 14 days; 5 updates per second per message. */
const PATCH_WINDOW_MS = 14 * DAY_MS;
const PATCHES_PER_SECOND = 5;
/** 延时更新消息卡片: a callback's token works for 30 minutes, at most twice. */
const CARD_TOKEN_TTL_MS = 30 * 60 * 1000;
const CARD_TOKEN_USES = 2;

/** Lark's content size caps: 150 KB for text/post, 30 KB for cards. */
const MAX_CONTENT_BYTES = 150 * 1024;
const MAX_CARD_CONTENT_BYTES = 30 * 1024;

/** Sender of `addMessage` messages when the test doesn't name one. */
const DEFAULT_USER_OPEN_ID = 'ou_fake_user';
/** Past this many remembered uuids, expired ones are swept so a long sandbox run stays small. */
const UUID_SWEEP_THRESHOLD = 10_000;

const RECEIVE_ID_TYPES = new Set(['open_id', 'chat_id', 'user_id', 'union_id', 'email']);
const MSG_TYPES = new Set([
  'text', 'post', 'image', 'file', 'audio', 'media', 'sticker', 'interactive', 'share_chat', 'share_user', 'system',
]);
const IMAGE_TYPES = new Set(['message', 'avatar']);
const FILE_TYPES = new Set(['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream']);
/** Lark refuses a buzz to someone with this many unread buzzes (230023); nothing reads them in the fake. */
const MAX_UNREAD_URGENT = 200;
/** user_id_list may hold at most 200 ids. */
const MAX_URGENT_USERS = 200;

export type UrgentKind = 'app' | 'sms' | 'phone';

export interface LarkStateConfig {
  appId: string;
  appSecret: string;
  botOpenId: string;
  botName: string;
  rateLimits: RateLimits | false;
  now: () => number;
  /** The free edition's tenant-wide monthly API call quota (undefined = none). */
  monthlyQuota?: number;
}

export function success(data?: unknown, msg = 'success'): LarkReply {
  return { status: 200, json: data === undefined ? { code: 0, msg } : { code: 0, msg, data } };
}

export function failure(status: number, code: number, msg: string, headers?: Record<string, string>): LarkReply {
  return { status, json: { code, msg }, headers };
}

function rateLimitHeaders(refusal: Refusal): Record<string, string> {
  return { 'x-ogw-ratelimit-limit': String(refusal.limit), 'x-ogw-ratelimit-reset': String(refusal.resetSeconds) };
}

const validationFailed = (what: string) => failure(400, LarkCode.fieldValidation, `field validation failed: ${what}`);
const messageGone = (id: string) =>
  failure(400, LarkCode.messageGone, `The message is not found or has been withdrawn: ${id}`);
const notBotsOwn = (what: string) => failure(400, LarkCode.invalidRequest, what);

/** Stable fake p2p chat for a user id: every message to the same user lands in the same chat. */
export function p2pChatId(receiveId: string): string {
  return `oc_p2p_${receiveId}`;
}

interface SendInput {
  msgType: string;
  content: string;
  uuid?: string;
}

export class LarkState {
  readonly messages: FakeMessage[] = [];
  readonly images = new Map<string, Uint8Array>();
  readonly files = new Map<string, FakeFile>();
  readonly cardUpdates: FakeCardUpdate[] = [];

  private readonly byId = new Map<string, FakeMessage>();
  /** Last create/patch/urgent time per message, for the CLI's "what changed since" polling. */
  private readonly changedAt = new Map<string, number>();
  private readonly uuids = new Map<string, { messageId: string; at: number }>();
  private readonly resources = new Map<string, Uint8Array>();
  private readonly tokens = new Map<string, number>();
  private readonly listeners = new Set<(m: FakeMessage) => void>();
  private readonly urgentQuota: Record<'sms' | 'phone', number> = { sms: Number.POSITIVE_INFINITY, phone: Number.POSITIVE_INFINITY };
  private readonly unreadUrgent = new Map<string, number>();
  private limiter: RateLimiter | null;
  /** Group settings the bot can read with GET /im/v1/chats/:chat_id and that gate 加急. */
  readonly chats = new Map<string, FakeChat>();
  private readonly patchWindows = new Map<string, SlidingWindow>();
  /** Successful counted calls per month (YYYY-MM in China time), for the free edition's quota. */
  private readonly monthlyCalls = new Map<string, number>();
  /** Card callback tokens handed out in callbacks (the ws and sandbox paths), with their uses. */
  private readonly cardTokens = new Map<string, { issuedAt: number; uses: number }>();
  // Never reset, so ids from before a reset() can't collide with new ones.
  private readonly sequences = new Map<string, number>();
  // Differs per server, so a token cached from another fake instance is (correctly) rejected.
  private readonly tokenNonce = randomBytes(4).toString('hex');

  /** Tasks, Calendar and Bitable (src/lark/fake/workspace.ts). */
  readonly workspace: FakeWorkspace;

  constructor(private readonly config: LarkStateConfig) {
    this.limiter = config.rateLimits ? new RateLimiter(config.rateLimits) : null;
    this.workspace = new FakeWorkspace(config.now, config.rateLimits !== false);
  }

  private now(): number {
    return this.config.now();
  }

  private nextId(prefix: string): string {
    const n = (this.sequences.get(prefix) ?? 0) + 1;
    this.sequences.set(prefix, n);
    return `${prefix}${String(n).padStart(6, '0')}`;
  }

  // ── tokens ────────────────────────────────────────────────────────────────────────

  isValidToken(token: string | undefined): boolean {
    if (!token) return false;
    const issuedAt = this.tokens.get(token);
    return issuedAt !== undefined && this.now() - issuedAt < TOKEN_TTL_SECONDS * 1000;
  }

  expireTokens(): void {
    this.tokens.clear();
  }

  /** POST /open-apis/auth/v3/tenant_access_token/internal — the token sits at top level, like Lark's. */
  issueToken(req: LarkRequest): LarkReply {
    const body = asRecord(req.json);
    if (body.app_id !== this.config.appId || body.app_secret !== this.config.appSecret) {
      return failure(400, LarkCode.badAppSecret, 'app secret invalid');
    }
    const token = `t-fake_${this.tokenNonce}_${this.nextId('')}`; // e.g. t-fake_1a2b3c4d_000001
    this.tokens.set(token, this.now());
    return { status: 200, json: { code: 0, msg: 'ok', tenant_access_token: token, expire: TOKEN_TTL_SECONDS } };
  }

  // ── bot ───────────────────────────────────────────────────────────────────────────

  /** GET /open-apis/bot/v3/info — `bot` sits at top level, not under `data`. */
  botInfo(): LarkReply {
    const bot = {
      activate_status: 2,
      app_name: this.config.botName,
      avatar_url: '',
      ip_white_list: [],
      open_id: this.config.botOpenId,
    };
    return { status: 200, json: { code: 0, msg: 'ok', bot } };
  }

  // ── messages ──────────────────────────────────────────────────────────────────────

  /** POST /open-apis/im/v1/messages?receive_id_type=… */
  sendMessage(req: LarkRequest): LarkReply {
    const refused = this.admitApp();
    if (refused) return refused;
    const receiveIdType = req.query.receive_id_type ?? '';
    if (!RECEIVE_ID_TYPES.has(receiveIdType)) return validationFailed('receive_id_type');
    const body = asRecord(req.json);
    if (!isNonEmptyString(body.receive_id)) return validationFailed('receive_id');
    const input = readSendInput(body);
    if ('status' in input) return input;
    const chatId = receiveIdType === 'chat_id' ? body.receive_id : p2pChatId(body.receive_id);
    return this.deliver(chatId, input, { receiveIdType, receiveId: body.receive_id });
  }

  /** POST /open-apis/im/v1/messages/:message_id/reply — lands in the parent's chat and thread. */
  replyMessage(req: LarkRequest): LarkReply {
    const refused = this.admitApp();
    if (refused) return refused;
    const body = asRecord(req.json);
    const input = readSendInput(body);
    if ('status' in input) return input;
    const parent = this.byId.get(req.params.message_id);
    if (!parent) return messageGone(req.params.message_id);
    return this.deliver(parent.chatId, input, {
      receiveIdType: 'chat_id',
      receiveId: parent.chatId,
      parentId: parent.messageId,
      rootId: parent.rootId ?? parent.messageId,
      replyInThread: body.reply_in_thread === true ? true : undefined,
    });
  }

  /** The shared tail of send and reply: chat quota, uuid idempotency, then the new message. */
  private deliver(chatId: string, input: SendInput, where: Partial<FakeMessage>): LarkReply {
    // Feishu's IM service refuses a chat over 5/s with HTTP 400 and code 230020 ("This operation
    // triggers the frequency limit", send-message error table); the x-ogw-* headers belong to the
    // gateway's app-wide 429 (99991400, frequency-control guide), so none come with it.
    if (this.limiter?.admitChat(chatId, this.now())) return failure(400, LarkCode.chatRateLimited, 'This operation triggers the frequency limit.');
    const earlier = input.uuid ? this.messageForUuid(input.uuid) : undefined;
    if (earlier) return success(this.larkMessage(earlier));
    const message = this.store({
      ...where,
      messageId: this.nextId('om_fake_'),
      chatId,
      receiveIdType: where.receiveIdType ?? 'chat_id',
      receiveId: where.receiveId ?? chatId,
      msgType: input.msgType,
      content: input.content,
      uuid: input.uuid,
      senderOpenId: this.config.botOpenId,
      createdAt: this.now(),
      patches: [],
      urgent: [],
    });
    if (input.uuid) this.rememberUuid(input.uuid, message);
    this.notify(message);
    return success(this.larkMessage(message));
  }

  /** The message an unexpired uuid already produced, if any. */
  private messageForUuid(uuid: string): FakeMessage | undefined {
    const seen = this.uuids.get(uuid);
    if (!seen) return undefined;
    if (this.now() - seen.at >= UUID_MEMORY_MS) {
      this.uuids.delete(uuid);
      return undefined;
    }
    return this.byId.get(seen.messageId);
  }

  private rememberUuid(uuid: string, message: FakeMessage): void {
    if (this.uuids.size >= UUID_SWEEP_THRESHOLD) {
      for (const [key, seen] of this.uuids) if (this.now() - seen.at >= UUID_MEMORY_MS) this.uuids.delete(key);
    }
    this.uuids.set(uuid, { messageId: message.messageId, at: message.createdAt });
  }

  /** PATCH /open-apis/im/v1/messages/:message_id — Lark only updates cards the bot itself sent. */
  patchMessage(req: LarkRequest): LarkReply {
    const refused = this.admitApp();
    if (refused) return refused;
    const content = asRecord(req.json).content;
    if (!isNonEmptyString(content)) return validationFailed('content');
    if (!isJson(content)) return failure(400, LarkCode.invalidRequest, 'invalid message content: not JSON');
    const message = this.byId.get(req.params.message_id);
    if (!message) return messageGone(req.params.message_id);
    if (message.msgType !== 'interactive' || !this.sentByBot(message)) {
      return notBotsOwn('Only interactive cards sent by this bot can be patched');
    }
    if (this.now() - message.createdAt > PATCH_WINDOW_MS) {
      return failure(400, LarkCode.patchWindowClosed, 'Message can only be modified within 14 days after sending.');
    }
    const refusal = this.admitPatch(message.messageId);
    if (refusal) return failure(400, LarkCode.chatRateLimited, 'This operation triggers the frequency limit.', rateLimitHeaders(refusal));
    message.patches.push(content);
    this.changedAt.set(message.messageId, this.now());
    return success();
  }

  /**
   * PATCH /open-apis/im/v1/messages/:message_id/urgent_app | urgent_sms | urgent_phone
   * ?user_id_type=open_id — Lark's three buzzes. SMS and phone buzzes spend the tenant's quota
   * (230024 once it is used up); anyone with 200 unread buzzes cannot be buzzed again (230023).
   */
  urgent(kind: UrgentKind, req: LarkRequest): LarkReply {
    const refused = this.admitApp();
    if (refused) return refused;
    if (req.query.user_id_type !== 'open_id') return validationFailed('user_id_type (the fake supports open_id)');
    const userIds = asRecord(req.json).user_id_list;
    if (!Array.isArray(userIds) || userIds.length === 0 || userIds.length > MAX_URGENT_USERS || !userIds.every(isNonEmptyString)) {
      return validationFailed('user_id_list');
    }
    const message = this.byId.get(req.params.message_id);
    if (!message) return messageGone(req.params.message_id);
    if (!this.sentByBot(message)) {
      return kind === 'app'
        ? notBotsOwn('Only messages sent by this bot can be made urgent')
        : failure(400, LarkCode.notMessageSender, 'Bot is NOT the sender of the message.');
    }
    // 谁可以加急: since 2023-10 a group set to owner-and-managers refuses a bot that is neither.
    const chat = this.chats.get(message.chatId);
    if (chat && chat.urgentSetting === 'only_owner' && !chat.botIsManager) {
      return failure(400, LarkCode.cannotUrgent, 'Can not urgent this message.');
    }
    if (userIds.some((id) => (this.unreadUrgent.get(id) ?? 0) >= MAX_UNREAD_URGENT)) {
      return failure(400, LarkCode.tooManyUnreadUrgent, 'The user has too many unread urgent messages.');
    }
    if (kind !== 'app') {
      const left = this.urgentQuota[kind];
      if (left < userIds.length) return failure(400, LarkCode.urgentQuotaReached, 'Reach the upper limit of urgent message.');
      this.urgentQuota[kind] = left - userIds.length;
    }
    for (const id of userIds) this.unreadUrgent.set(id, (this.unreadUrgent.get(id) ?? 0) + 1);
    message.urgent.push({ openIds: [...userIds], kind });
    this.changedAt.set(message.messageId, this.now());
    return success({ invalid_user_id_list: [] });
  }

  urgentApp(req: LarkRequest): LarkReply {
    return this.urgent('app', req);
  }

  /** The tenant's remaining SMS and phone buzzes (unlimited unless a test sets them). */
  setUrgentQuota(quota: Partial<Record<'sms' | 'phone', number>>): void {
    Object.assign(this.urgentQuota, quota);
  }

  /** Unread buzzes per user, as if nobody had read any (to reach Lark's 230023). */
  setUnreadUrgent(openId: string, count: number): void {
    this.unreadUrgent.set(openId, count);
  }

  private sentByBot(message: FakeMessage): boolean {
    return message.senderOpenId === this.config.botOpenId;
  }

  /** A message "from a user": stored, but not announced to onMessage listeners (the bot didn't send it). */
  addMessage(m: NewUserMessage): FakeMessage {
    // Defaults come after the spread so an explicit `undefined` in `m` doesn't erase them.
    return this.store({
      ...m,
      messageId: m.messageId ?? this.nextId('om_fake_'),
      receiveIdType: m.receiveIdType ?? 'chat_id',
      receiveId: m.receiveId ?? m.chatId,
      senderOpenId: m.senderOpenId ?? DEFAULT_USER_OPEN_ID,
      createdAt: m.createdAt ?? this.now(),
      patches: m.patches ?? [],
      urgent: m.urgent ?? [],
    });
  }

  private store(message: FakeMessage): FakeMessage {
    this.messages.push(message);
    this.byId.set(message.messageId, message);
    this.changedAt.set(message.messageId, message.createdAt);
    return message;
  }

  /** Messages created, patched or buzzed at or after `since` (all of them without it). */
  messagesChangedSince(since?: number): FakeMessage[] {
    if (since === undefined) return [...this.messages];
    return this.messages.filter((m) => (this.changedAt.get(m.messageId) ?? m.createdAt) >= since);
  }

  onMessage(listener: (m: FakeMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(message: FakeMessage): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch (e) {
        // A broken test listener must not turn a successful send into a 500 for the bot.
        console.error('fake lark: onMessage listener threw', e);
      }
    }
  }

  /** The message object Lark returns from send/reply. */
  private larkMessage(m: FakeMessage): Record<string, unknown> {
    const updatedAt = this.changedAt.get(m.messageId) ?? m.createdAt;
    return {
      message_id: m.messageId,
      root_id: m.rootId,
      parent_id: m.parentId,
      msg_type: m.msgType,
      create_time: String(m.createdAt),
      update_time: String(updatedAt),
      deleted: false,
      updated: m.patches.length > 0,
      chat_id: m.chatId,
      sender: { id: this.config.appId, id_type: 'app_id', sender_type: 'app', tenant_key: 'fake_tenant' },
      body: { content: m.content },
    };
  }

  // ── uploads and downloads ─────────────────────────────────────────────────────────

  /** POST /open-apis/im/v1/images (multipart: image_type, image) */
  uploadImage(req: LarkRequest): LarkReply {
    const imageType = req.form?.fields.image_type;
    const image = req.form?.parts.image;
    if (!imageType || !IMAGE_TYPES.has(imageType)) return failure(400, LarkCode.invalidResourceParam, 'invalid image_type');
    if (!image || image.bytes.length === 0) return failure(400, LarkCode.invalidResourceParam, 'image is empty');
    const imageKey = this.nextId('img_v3_fake_');
    this.images.set(imageKey, image.bytes);
    return success({ image_key: imageKey });
  }

  /** GET /open-apis/im/v1/images/:image_key */
  downloadImage(req: LarkRequest): LarkReply {
    const bytes = this.images.get(req.params.image_key);
    if (!bytes) return failure(400, LarkCode.invalidResourceParam, `image not found: ${req.params.image_key}`);
    return { status: 200, bytes };
  }

  /** POST /open-apis/im/v1/files (multipart: file_type, file_name, file) */
  uploadFile(req: LarkRequest): LarkReply {
    const fileType = req.form?.fields.file_type;
    const fileName = req.form?.fields.file_name;
    const file = req.form?.parts.file;
    if (!fileType || !FILE_TYPES.has(fileType)) return failure(400, LarkCode.invalidResourceParam, 'invalid file_type');
    if (!fileName) return failure(400, LarkCode.invalidResourceParam, 'file_name is required');
    if (!file || file.bytes.length === 0) return failure(400, LarkCode.invalidResourceParam, 'file is empty');
    const fileKey = this.nextId('file_v3_fake_');
    this.files.set(fileKey, { name: fileName, type: fileType, bytes: file.bytes });
    return success({ file_key: fileKey });
  }

  addResource(messageId: string, fileKey: string, bytes: Uint8Array): void {
    this.resources.set(resourceKey(messageId, fileKey), bytes);
  }

  /** The clicked card takes the callback's answer, as in Lark; false when there is no such card. */
  applyCallbackCard(messageId: string, card: unknown): boolean {
    const message = this.byId.get(messageId);
    if (!message || message.msgType !== 'interactive') return false;
    message.patches.push(JSON.stringify(card));
    this.changedAt.set(messageId, this.now());
    return true;
  }

  /** GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=image|file */
  messageResource(req: LarkRequest): LarkReply {
    const { message_id: messageId, file_key: fileKey } = req.params;
    const type = req.query.type;
    if (type !== 'image' && type !== 'file') return failure(400, LarkCode.invalidResourceParam, 'type must be image or file');
    const bytes = this.resources.get(resourceKey(messageId, fileKey)) ?? this.botUploadIn(messageId, fileKey);
    if (!bytes) return failure(400, LarkCode.fileNotInMessage, 'File not in msg.');
    return { status: 200, bytes };
  }

  /** A bot's own image/file message is downloadable too, like on Lark: the key is in its content. */
  private botUploadIn(messageId: string, fileKey: string): Uint8Array | undefined {
    const message = this.byId.get(messageId);
    if (!message || !message.content.includes(fileKey)) return undefined;
    return this.images.get(fileKey) ?? this.files.get(fileKey)?.bytes;
  }

  // ── cards ─────────────────────────────────────────────────────────────────────────

  /** POST /open-apis/interactive/v1/card/update — the delayed update after a card action. */
  updateCard(req: LarkRequest): LarkReply {
    const body = asRecord(req.json);
    if (!isNonEmptyString(body.token)) return validationFailed('token');
    if (typeof body.card !== 'object' || body.card === null) return validationFailed('card');
    if (!body.token.startsWith('c-')) return failure(400, LarkCode.cardTokenInvalid, 'card token format error');
    // Tokens the fake handed out are checked; a test's own token (never issued here) is taken as fresh.
    const issued = this.cardTokens.get(body.token);
    if (issued) {
      if (this.now() - issued.issuedAt > CARD_TOKEN_TTL_MS) return failure(400, LarkCode.cardTokenExpired, 'card token expired');
      if (issued.uses >= CARD_TOKEN_USES) return failure(400, LarkCode.cardTokenOverused, 'card token used too many times');
      issued.uses++;
    }
    this.cardUpdates.push({ token: body.token, card: body.card, at: this.now() });
    return success();
  }

  /** A token for a card callback, as Lark puts in card.action.trigger: valid 30 minutes, twice. */
  issueCardToken(): string {
    const token = `c-fake_${this.tokenNonce}_${this.nextId('')}`;
    this.cardTokens.set(token, { issuedAt: this.now(), uses: 0 });
    return token;
  }

  // ── chats ─────────────────────────────────────────────────────────────────────────

  setChat(chatId: string, chat: Partial<FakeChat>): FakeChat {
    const merged: FakeChat = { name: chatId, urgentSetting: 'all_members', botIsManager: false, ...this.chats.get(chatId), ...chat };
    this.chats.set(chatId, merged);
    return merged;
  }

  /** GET /open-apis/im/v1/chats/:chat_id — the fields of 获取群信息 Watchkeeper reads. */
  chatInfo(req: LarkRequest): LarkReply {
    const refused = this.admitApp();
    if (refused) return refused;
    const id = req.params.chat_id;
    const p2p = id.startsWith('oc_p2p_');
    const chat = this.chats.get(id) ?? { name: id, urgentSetting: 'all_members' as const, botIsManager: false };
    return success({
      name: p2p ? '' : chat.name,
      chat_mode: p2p ? 'p2p' : 'group',
      chat_type: 'private',
      owner_id_type: 'open_id',
      owner_id: chat.ownerOpenId ?? 'ou_fake_owner',
      user_manager_id_list: chat.managerOpenIds ?? [],
      bot_manager_id_list: chat.botIsManager ? [this.config.appId] : [],
      urgent_setting: chat.urgentSetting,
      chat_status: 'normal',
    });
  }

  // ── the free edition's monthly quota ──────────────────────────────────────────────

  /** 99991403 once this month's successful counted calls reach the quota; null while there is room. */
  quotaRefusal(): LarkReply | null {
    const quota = this.config.monthlyQuota;
    if (quota === undefined || (this.monthlyCalls.get(monthKey(this.now())) ?? 0) < quota) return null;
    return failure(429, LarkCode.monthlyQuotaExceeded, "This month's API call quota has been exceeded");
  }

  /** Lark counts a call against the quota only when it succeeded. */
  countCall(reply: LarkReply): void {
    if (reply.status !== 200 || (reply.json && reply.json.code !== 0)) return;
    const key = monthKey(this.now());
    this.monthlyCalls.set(key, (this.monthlyCalls.get(key) ?? 0) + 1);
  }

  setMonthlyQuota(quota: number | undefined): void {
    this.config.monthlyQuota = quota;
  }

  callsThisMonth(): number {
    return this.monthlyCalls.get(monthKey(this.now())) ?? 0;
  }

  // ── rate limits and reset ─────────────────────────────────────────────────────────

  /** 5 updates per second per message, whoever sends them. */
  private admitPatch(messageId: string): Refusal | null {
    if (!this.config.rateLimits) return null;
    let window = this.patchWindows.get(messageId);
    if (!window) this.patchWindows.set(messageId, (window = new SlidingWindow(PATCHES_PER_SECOND, 1000)));
    const wait = window.waitMs(this.now());
    if (wait > 0) return { limit: PATCHES_PER_SECOND, resetSeconds: Math.max(1, Math.ceil(wait / 1000)) };
    window.record(this.now());
    return null;
  }

  private admitApp(): LarkReply | null {
    const refusal = this.limiter?.admitApp(this.now());
    if (!refusal) return null;
    return failure(429, LarkCode.appRateLimited, 'request trigger frequency limit', rateLimitHeaders(refusal));
  }

  /** Forgets everything but the issued tokens and id sequences (so SDK clients keep their cached token). */
  reset(): void {
    this.messages.length = 0;
    this.cardUpdates.length = 0;
    for (const map of [this.byId, this.changedAt, this.uuids, this.resources, this.images, this.files, this.unreadUrgent, this.patchWindows, this.cardTokens]) map.clear();
    this.urgentQuota.sms = this.urgentQuota.phone = Number.POSITIVE_INFINITY;
    this.limiter = this.config.rateLimits ? new RateLimiter(this.config.rateLimits) : null;
    this.workspace.reset();
  }
}

/** Validates the fields send and reply share; answers the failure reply when one is wrong. */
function readSendInput(body: Record<string, unknown>): SendInput | LarkReply {
  const { msg_type: msgType, content, uuid } = body;
  if (!isNonEmptyString(msgType) || !MSG_TYPES.has(msgType)) return validationFailed('msg_type');
  if (!isNonEmptyString(content)) return validationFailed('content');
  if (uuid !== undefined && (typeof uuid !== 'string' || uuid.length > UUID_MAX_LENGTH)) return validationFailed('uuid');
  if (!isJson(content)) return failure(400, LarkCode.invalidRequest, 'invalid message content: not JSON');
  const cap = msgType === 'interactive' ? MAX_CARD_CONTENT_BYTES : MAX_CONTENT_BYTES;
  if (Buffer.byteLength(content) > cap) {
    return failure(400, LarkCode.contentTooLong, 'The length of the message content reaches its limit');
  }
  return { msgType, content, uuid: uuid || undefined };
}

/** The calendar month in China time (the quota turns on the 1st there). */
function monthKey(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 7);
}

function resourceKey(messageId: string, fileKey: string): string {
  return `${messageId}\u0000${fileKey}`;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
