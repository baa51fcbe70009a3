// Public shapes of the fake Lark Open API. server.ts re-exports them; they live here so the
// endpoint logic (api.ts) and the HTTP plumbing (server.ts) can share them without a cycle.

export interface RateLimits {
  /** Requests per sliding second, per app (send/reply/patch/urgent). */
  perSecond: number;
  /** Requests per sliding minute, per app (send/reply/patch/urgent). */
  perMinute: number;
  /** Messages per sliding second, per chat (send/reply only) — Lark's "5 QPS per user/group". */
  perChatPerSecond: number;
}

export interface FakeLarkOptions {
  appId?: string;
  appSecret?: string;
  port?: number;
  host?: string;
  botOpenId?: string;
  botName?: string;
  /** `false` turns rate limiting off entirely. */
  rateLimits?: RateLimits | false;
  /** Clock for rate windows, uuid memory, token expiry and timestamps; injectable so tests never sleep. */
  now?: () => number;
  /**
   * The free edition's tenant-wide quota of API calls a month (Feishu: 10,000). Past it every
   * counted call answers HTTP 429 with 99991403 until the month turns. Unset = no quota.
   */
  monthlyQuota?: number;
}

/** A group's settings as 获取群信息 reports them. */
export interface FakeChat {
  name: string;
  /** 谁可以加急: `only_owner` (owner and managers) or `all_members`. */
  urgentSetting: 'only_owner' | 'all_members';
  /** The bot is among the chat's managers (bot_manager_id_list). */
  botIsManager: boolean;
  ownerOpenId?: string;
  managerOpenIds?: string[];
}

export interface FakeCall {
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body; for uploads a summary of the form (file sizes, not bytes); secrets redacted. */
  body: unknown;
  status: number;
  code: number;
}

export interface FakeMessage {
  messageId: string;
  chatId: string;
  receiveIdType: string;
  receiveId: string;
  msgType: string;
  /** Content as sent: a JSON string. */
  content: string;
  uuid?: string;
  parentId?: string;
  rootId?: string;
  replyInThread?: boolean;
  /**
   * Who wrote it: the bot's open_id for messages the bot sent, the user's for `addMessage`.
   * Lark only lets a bot patch or buzz its own messages, so the fake needs to know.
   */
  senderOpenId?: string;
  createdAt: number;
  /** Each later PATCH content, in order. */
  patches: string[];
  /** Buzzes on this message: urgent_app, urgent_sms, urgent_phone. */
  urgent: { openIds: string[]; kind: 'app' | 'sms' | 'phone' }[];
}

export interface FakeFailure {
  status: number;
  code: number;
  msg?: string;
  /** Sent as `x-ogw-ratelimit-reset`, so injected 429s look like real ones. */
  resetSeconds?: number;
  /** Only calls whose path starts with this fail (e.g. `/open-apis/task/`); others pass untouched. */
  path?: string;
}

/**
 * Random faults on Open API calls (not the token endpoint), for the chaos suite: each call fails
 * with probability `rate`, as one of `kinds` (each kind once in every `kinds.length` faults, in a
 * random order):
 * - `500`: an internal error, nothing done;
 * - `429`: the app-wide limit (99991400) with `x-ogw-ratelimit-reset`, nothing done;
 * - `timeout`: the call takes effect and the connection is dropped unanswered, as a client timeout sees it.
 */
export interface FakeFaults {
  rate: number;
  kinds: readonly ('500' | '429' | 'timeout')[];
  /** A number in [0, 1): seeded by the caller so a run can be repeated. */
  random: () => number;
  /** Seconds put in `x-ogw-ratelimit-reset` for injected 429s (default 1). */
  resetSeconds?: number;
  /** The first this many calls fail for sure (then each with `rate`): a short run still meets every kind. */
  firstFailing?: number;
  /** Only calls this accepts can fail (default: every Open API call), so other traffic can run beside. */
  match?: (call: { method: string; path: string }) => boolean;
}

export interface FakeFaultStats {
  injected: { '500': number; '429': number; timeout: number };
  /**
   * Open API calls that arrived while an app-wide 429's reset window was still open — Lark's view,
   * which includes calls already on the wire when the 429 went out (the client could not know yet).
   */
  callsInResetWindow: number;
}

export interface FakeFile {
  name: string;
  type: string;
  bytes: Uint8Array;
}

export interface FakeCardUpdate {
  token: string;
  card: unknown;
  at: number;
}

export type NewUserMessage = Partial<FakeMessage> & {
  chatId: string;
  content: string;
  msgType: string;
  senderOpenId?: string;
};

export interface FakeLark {
  /** e.g. http://127.0.0.1:PORT — pass as the SDK's `domain`. */
  url: string;
  appId: string;
  appSecret: string;
  botOpenId: string;
  calls: FakeCall[];
  messages: FakeMessage[];
  images: Map<string, Uint8Array>;
  files: Map<string, FakeFile>;
  cardUpdates: FakeCardUpdate[];
  /** Feishu Tasks, Calendar and Bitable as the mirrors left them (issue 19). */
  workspace: import('./workspace.ts').FakeWorkspace;
  /** The next `count` Open API calls (not the token endpoint) answer this failure and change nothing. */
  failNext(count: number, failure: FakeFailure): void;
  /** Random faults from now on (`undefined` stops them); see FakeFaults. */
  setFaults(faults: FakeFaults | undefined): void;
  readonly faultStats: FakeFaultStats;
  /** Delays every Open API answer by `ms`. */
  setLatency(ms: number): void;
  /** Every issued tenant token becomes invalid (to test token refresh). */
  expireTokens(): void;
  /** A message "from a user", so bot replies and resource downloads can reference it. */
  addMessage(m: NewUserMessage): FakeMessage;
  /** An image/file inside a user's message, served by the message-resource endpoint. */
  addResource(messageId: string, fileKey: string, bytes: Uint8Array): void;
  /** What Lark does with a card callback's `card: { type: 'raw' }` answer: the clicked card shows it (kept as a patch). */
  applyCallbackCard(messageId: string, card: unknown): boolean;
  /** Sets a group's name, 谁可以加急 and whether the bot is a manager (merged into what it had). */
  setChat(chatId: string, chat: Partial<FakeChat>): FakeChat;
  /** A card callback token as Lark issues one: the delayed update accepts it for 30 minutes, twice. */
  issueCardToken(): string;
  /** Successful calls counted against the monthly quota this month. */
  callsThisMonth(): number;
  /** Sets (or, with undefined, lifts) the monthly quota from now on. */
  setMonthlyQuota(quota: number | undefined): void;
  /**
   * Pushes an event envelope or a card callback down the long connection (to one connected
   * WSClient, or the next to connect) and resolves with its acknowledgement: the code and the
   * handler's answer. Unacknowledged frames are pushed again to the next connection.
   */
  pushEvent(envelope: unknown): Promise<import('./long-connection.ts').Delivery>;
  /** Cuts the long connection(s); with beforeNextAck, at the next acknowledgement, which is lost. */
  dropLongConnection(opts?: { beforeNextAck?: boolean }): void;
  longConnectionStatus(): import('./long-connection.ts').LongConnectionStatus;
  /** Called when the bot sends or replies (not for uuid repeats, patches or addMessage). Returns an unsubscribe. */
  onMessage(listener: (m: FakeMessage) => void): () => void;
  /** The tenant's remaining SMS / phone buzzes; past them Lark answers 230024. Unlimited until set; reset() restores that. */
  setUrgentQuota(quota: Partial<Record<'sms' | 'phone', number>>): void;
  /** Pretends a user has this many unread buzzes (Lark refuses more past 200 with 230023). */
  setUnreadUrgent(openId: string, count: number): void;
  /** Called for every recorded Open API call as it takes effect (timing probes in the tests). Returns an unsubscribe. */
  onCall(listener: (c: FakeCall) => void): () => void;
  /** Forget calls, messages, uploads, failures, latency, uuids and rate windows; issued tokens stay valid. */
  reset(): void;
  close(): Promise<void>;
}
