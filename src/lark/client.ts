// The LarkClient seam: everything Watchkeeper asks of the Open API goes through this
// interface, so tests and the sandbox point the real SDK at a fake server and nothing else changes.

export interface SentMessage {
  messageId: string;
  chatId?: string;
}

export type ReceiveIdType = 'open_id' | 'chat_id' | 'user_id' | 'union_id' | 'email';

export interface LarkClient {
  botInfo(): Promise<{ openId: string; name: string }>;
  send(req: { receiveIdType: ReceiveIdType; receiveId: string; msgType: string; content: string; uuid?: string }): Promise<SentMessage>;
  reply(req: { messageId: string; msgType: string; content: string; uuid?: string; replyInThread?: boolean }): Promise<SentMessage>;
  patch(req: { messageId: string; content: string }): Promise<void>;
  /** 加急: Lark's urgent push to the phones of people who can see the message. */
  urgentApp(req: { messageId: string; openIds: string[] }): Promise<void>;
  /** 短信加急: in-app and an SMS (spends the tenant's buzz quota; scope im:message.urgent:sms). */
  urgentSms(req: { messageId: string; openIds: string[] }): Promise<void>;
  /** 电话加急: in-app and a phone call carrying no details (quota; scope im:message.urgent:phone). */
  urgentPhone(req: { messageId: string; openIds: string[] }): Promise<void>;
  uploadImage(bytes: Uint8Array): Promise<{ imageKey: string }>;
  uploadFile(req: { bytes: Uint8Array; fileName: string; fileType: 'xls' | 'pdf' | 'doc' | 'stream' }): Promise<{ fileKey: string }>;
  /** Downloads a resource (an image) from a user's message. */
  messageResource(req: { messageId: string; fileKey: string; type: 'image' | 'file' }): Promise<Uint8Array>;
  /** 获取群信息: the group's name, who may buzz there, and whether this bot is one of its managers. */
  chatInfo(chatId: string): Promise<ChatInfo>;
  /** 延时更新消息卡片: replaces the card a user clicked, with the callback's token (30 minutes, twice). */
  updateCard(req: { token: string; card: Record<string, unknown> }): Promise<void>;
}

export interface ChatInfo {
  name: string;
  /** `only_owner` (仅群主和管理员) or `all_members` (所有成员), as Lark spells it. */
  urgentSetting: string;
  botIsManager: boolean;
}

/** Reads 获取群信息's answer; `appId` finds this bot in bot_manager_id_list. */
export function chatInfoOf(data: Record<string, unknown> | undefined, appId: string): ChatInfo {
  const bots = Array.isArray(data?.bot_manager_id_list) ? (data!.bot_manager_id_list as unknown[]) : [];
  return {
    name: typeof data?.name === 'string' ? data.name : '',
    urgentSetting: typeof data?.urgent_setting === 'string' ? data.urgent_setting : 'all_members',
    botIsManager: bots.includes(appId),
  };
}

/** What went wrong, classified once so the sender never parses errors itself. */
export type LarkErrorKind = 'rate_limited' | 'invalid_token' | 'transient' | 'permanent' | 'quota_exceeded';

export class LarkApiError extends Error {
  constructor(
    readonly kind: LarkErrorKind,
    readonly status: number,
    readonly code: number,
    message: string,
    /** From x-ogw-ratelimit-reset, in seconds. */
    readonly resetSeconds?: number,
  ) {
    super(message);
    this.name = 'LarkApiError';
  }
}

/** Buzz refusals that a plain in-app buzz may still get past: the tenant's quota (230024), too many unread buzzes (230023). */
export const URGENT_FALLBACK_CODES = new Set([230023, 230024]);

export const RATE_LIMIT_CODES = new Set([99991400, 230020]);
export const INVALID_TOKEN_CODES = new Set([99991661, 99991663, 99991664, 99991668, 99991671]);
/** The free edition's monthly API quota is spent: HTTP 429 like a rate limit, but it lasts until the month turns. */
export const MONTHLY_QUOTA_CODE = 99991403;
/** A message older than 14 days cannot be patched. */
export const PATCH_WINDOW_CODE = 230031;

export function classify(status: number, code: number): LarkErrorKind {
  if (code === MONTHLY_QUOTA_CODE) return 'quota_exceeded';
  if (status === 429 || RATE_LIMIT_CODES.has(code)) return 'rate_limited';
  if (INVALID_TOKEN_CODES.has(code)) return 'invalid_token';
  if (status === 0 || status >= 500) return 'transient';
  // Lark's internal-error codes arrive with HTTP 200/400 on occasion; retrying is right for them.
  if (code === 99991401 || code === 1500 || code === 230099) return 'transient';
  // Bitable answers its own limit and write conflicts with HTTP 200 (TooManyRequest, Write conflict): try again later.
  if (code === 1254290) return 'rate_limited';
  if (code === 1254291) return 'transient';
  return 'permanent';
}
