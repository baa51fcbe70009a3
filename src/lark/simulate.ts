import { encrypt, signature } from './crypto.ts';
import type { IngestSecrets } from './ingest.ts';

// Builds events exactly as Lark delivers them: used by `npm run say`, the sandbox page,
// the benchmarks and the tests, so all of them exercise the production ingest path.

let counter = 0;
const nextId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export interface MentionSpec { openId: string; name: string }

export interface MessageSpec {
  senderOpenId: string;
  chatId: string;
  chatType?: 'p2p' | 'group';
  text?: string;
  /** For image messages. */
  imageKey?: string;
  /** A rich-text (post) message: the text (with @_user_N mentions) followed by these images. */
  postImages?: string[];
  messageId?: string;
  rootId?: string;
  parentId?: string;
  /** People mentioned; the text refers to them as @_user_1, @_user_2 … in this order. */
  mentions?: MentionSpec[];
  eventId?: string;
  createTime?: number;
  token: string;
  appId?: string;
}

/**
 * A received post's content as Lark delivers it: {title, content: paragraphs of elements}, mentions
 * as `at` elements whose user_id is the mention key, each image a paragraph of its own.
 */
export function postContent(text: string, imageKeys: string[], mentions: MentionSpec[] = []) {
  const lines = text.split('\n').map((line) =>
    line
      .split(/(@_user_\d+)/)
      .filter((part) => part !== '')
      .map((part) => {
        const n = /^@_user_(\d+)$/.exec(part);
        return n ? { tag: 'at', user_id: part, user_name: mentions[Number(n[1]) - 1]?.name ?? '' } : { tag: 'text', text: part };
      }),
  );
  return { title: '', content: [...lines, ...imageKeys.map((image_key) => [{ tag: 'img', image_key }])] };
}

export function messageEnvelope(s: MessageSpec) {
  const messageType = s.imageKey ? 'image' : s.postImages ? 'post' : 'text';
  const content = s.imageKey ? { image_key: s.imageKey } : s.postImages ? postContent(s.text ?? '', s.postImages, s.mentions) : { text: s.text ?? '' };
  return {
    schema: '2.0',
    header: eventHeader('im.message.receive_v1', s, { createTime: s.createTime ?? Date.now() }),
    event: {
      sender: { sender_id: { open_id: s.senderOpenId }, sender_type: 'user', tenant_key: 'tenant' },
      message: {
        message_id: s.messageId ?? nextId('om_'),
        root_id: s.rootId,
        parent_id: s.parentId,
        create_time: String(s.createTime ?? Date.now()),
        chat_id: s.chatId,
        chat_type: s.chatType ?? 'group',
        message_type: messageType,
        content: JSON.stringify(content),
        mentions: (s.mentions ?? []).map((m, i) => ({ key: `@_user_${i + 1}`, id: { open_id: m.openId }, name: m.name, tenant_key: 'tenant' })),
      },
    },
  };
}

export interface CardActionSpec {
  operatorOpenId: string;
  value: Record<string, unknown>;
  formValue?: Record<string, unknown>;
  tag?: string;
  name?: string;
  option?: string;
  messageId?: string;
  chatId?: string;
  eventId?: string;
  token: string;
  /** The callback's own token for the delayed card update (the fake can issue one it checks). */
  cardToken?: string;
}

export function cardActionEnvelope(s: CardActionSpec) {
  return {
    schema: '2.0',
    header: eventHeader('card.action.trigger', s, { createTime: Date.now() * 1000 }),
    event: {
      operator: { open_id: s.operatorOpenId, tenant_key: 'tenant' },
      token: s.cardToken ?? nextId('c-'),
      action: { value: s.value, tag: s.tag ?? 'button', form_value: s.formValue, name: s.name, option: s.option },
      host: 'im_message',
      context: { open_message_id: s.messageId, open_chat_id: s.chatId },
    },
  };
}

/** The schema 2.0 header every event carries; create_time in ms unless the event's doc says otherwise. */
function eventHeader(eventType: string, s: { eventId?: string; token: string; appId?: string }, o: { createTime?: number } = {}) {
  return {
    event_id: s.eventId ?? nextId('ev_'),
    event_type: eventType,
    create_time: String(o.createTime ?? Date.now()),
    token: s.token,
    app_id: s.appId ?? 'cli_app',
    tenant_key: 'tenant',
  };
}

/** 机器人进群 (im.chat.member.bot.added_v1), as the event doc shows it. */
export function botAddedEnvelope(s: { chatId: string; name: string; operatorOpenId: string; token: string; eventId?: string }) {
  return {
    schema: '2.0',
    header: eventHeader('im.chat.member.bot.added_v1', s),
    event: {
      chat_id: s.chatId,
      operator_id: { open_id: s.operatorOpenId },
      external: false,
      operator_tenant_key: 'tenant',
      name: s.name,
      i18n_names: { zh_cn: s.name },
    },
  };
}

/** 任务信息变更 (task.task.updated_v1): a task this app created changed in Feishu; obj_type 5 = completed. */
export function taskUpdatedEnvelope(s: { taskId: string; objType: number; token: string; eventId?: string; appId?: string }) {
  return {
    schema: '2.0',
    header: eventHeader('task.task.updated_v1', s),
    event: { task_id: s.taskId, obj_type: s.objType },
  };
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Encrypts (unless told not to) and signs a payload as Lark does. */
export async function signedRequest(
  payload: unknown,
  secrets: IngestSecrets,
  opts: { encrypt?: boolean; timestampSeconds?: number; nonce?: string } = {},
): Promise<SignedRequest> {
  const plain = JSON.stringify(payload);
  const body = opts.encrypt === false ? plain : JSON.stringify({ encrypt: await encrypt(secrets.encryptKey, plain) });
  const timestamp = String(opts.timestampSeconds ?? Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? Math.random().toString(36).slice(2);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': await signature(timestamp, nonce, secrets.encryptKey, body),
    },
  };
}
