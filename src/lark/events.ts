import { z } from 'zod';

// Zod schemas for the parts of Lark's event envelopes we use. Unknown fields pass through;
// a payload missing what we need is "malformed" and acknowledged without processing.

const userId = z.object({ open_id: z.string().optional(), user_id: z.string().optional(), union_id: z.string().optional() });

export const envelopeSchema = z.object({
  schema: z.literal('2.0'),
  header: z.object({
    event_id: z.string().min(1),
    event_type: z.string().min(1),
    token: z.string().optional(),
    create_time: z.string().optional(),
    app_id: z.string().optional(),
    tenant_key: z.string().optional(),
  }),
  event: z.record(z.string(), z.unknown()),
});
export type Envelope = z.infer<typeof envelopeSchema>;

const messageEventSchema = z.object({
  sender: z.object({ sender_id: userId, sender_type: z.string().optional() }),
  message: z.object({
    message_id: z.string(),
    root_id: z.string().optional(),
    parent_id: z.string().optional(),
    thread_id: z.string().optional(),
    create_time: z.string().optional(),
    chat_id: z.string(),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    mentions: z
      .array(z.object({ key: z.string(), id: userId, name: z.string().optional() }))
      .optional(),
  }),
});

const cardActionSchema = z.object({
  operator: userId,
  token: z.string().optional(),
  action: z.object({
    value: z.unknown().optional(),
    tag: z.string().optional(),
    name: z.string().optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
    option: z.string().optional(),
    options: z.array(z.string()).optional(),
    input_value: z.string().optional(),
    checked: z.boolean().optional(),
    timezone: z.string().optional(),
  }),
  context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).optional(),
});

const botAddedSchema = z.object({
  chat_id: z.string(),
  operator_id: userId.optional(),
  name: z.string().optional(),
  external: z.boolean().optional(),
});

const taskUpdatedSchema = z.object({ task_id: z.string().min(1), obj_type: z.number().int() });

const menuSchema = z.object({
  operator: z.object({ operator_id: userId, operator_name: z.string().optional() }),
  event_key: z.string(),
});

export interface Mention { key: string; openId: string; name: string }

export type InboundEvent =
  | {
      kind: 'message';
      eventId: string;
      messageId: string;
      rootId?: string;
      parentId?: string;
      threadId?: string;
      chatId: string;
      chatType: 'p2p' | 'group';
      senderOpenId: string;
      messageType: string;
      /** Plain text of a text or post message, mention keys kept as @_user_N. */
      text: string;
      imageKeys: string[];
      mentions: Mention[];
      createdAt: number;
    }
  | {
      kind: 'card';
      eventId: string;
      operatorOpenId: string;
      token?: string;
      value: Record<string, unknown>;
      tag?: string;
      name?: string;
      formValue?: Record<string, unknown>;
      option?: string;
      messageId?: string;
      chatId?: string;
    }
  | { kind: 'menu'; eventId: string; operatorOpenId: string; eventKey: string }
  /** 机器人进群: someone added the bot to a group. */
  | { kind: 'bot_added'; eventId: string; chatId: string; chatName: string; operatorOpenId?: string; external: boolean }
  /** 任务信息变更: a task this app created changed in Feishu (obj_type 5 = completed, 6 = uncompleted …). */
  | { kind: 'task_updated'; eventId: string; taskId: string; objType: number };

export const HANDLED_EVENT_TYPES = ['im.message.receive_v1', 'card.action.trigger', 'application.bot.menu_v6', 'im.chat.member.bot.added_v1', 'task.task.updated_v1'] as const;

/** Turns a stored envelope into what the bot needs, or undefined for events we ignore. */
export function toInboundEvent(env: Envelope): InboundEvent | undefined {
  const id = env.header.event_id;
  switch (env.header.event_type) {
    case 'im.message.receive_v1': {
      const e = messageEventSchema.safeParse(env.event);
      if (!e.success || !e.data.sender.sender_id.open_id) return undefined;
      const m = e.data.message;
      const body = safeJson(m.content);
      const { text, imageKeys } = readContent(m.message_type, body);
      return {
        kind: 'message',
        eventId: id,
        messageId: m.message_id,
        rootId: m.root_id || undefined,
        parentId: m.parent_id || undefined,
        threadId: m.thread_id || undefined,
        chatId: m.chat_id,
        chatType: m.chat_type === 'p2p' ? 'p2p' : 'group',
        senderOpenId: e.data.sender.sender_id.open_id,
        messageType: m.message_type,
        text,
        imageKeys,
        mentions: (m.mentions ?? []).map((x) => ({ key: x.key, openId: x.id.open_id ?? '', name: x.name ?? '' })),
        createdAt: Number(m.create_time ?? 0),
      };
    }
    case 'card.action.trigger': {
      const e = cardActionSchema.safeParse(env.event);
      if (!e.success || !e.data.operator.open_id) return undefined;
      const a = e.data.action;
      const value = a.value && typeof a.value === 'object' ? (a.value as Record<string, unknown>) : {};
      return {
        kind: 'card',
        eventId: id,
        operatorOpenId: e.data.operator.open_id,
        token: e.data.token,
        value,
        tag: a.tag,
        name: a.name,
        formValue: a.form_value,
        option: a.option,
        messageId: e.data.context?.open_message_id,
        chatId: e.data.context?.open_chat_id,
      };
    }
    case 'application.bot.menu_v6': {
      const e = menuSchema.safeParse(env.event);
      if (!e.success || !e.data.operator.operator_id.open_id) return undefined;
      return { kind: 'menu', eventId: id, operatorOpenId: e.data.operator.operator_id.open_id, eventKey: e.data.event_key };
    }
    case 'im.chat.member.bot.added_v1': {
      const e = botAddedSchema.safeParse(env.event);
      if (!e.success) return undefined;
      return { kind: 'bot_added', eventId: id, chatId: e.data.chat_id, chatName: e.data.name ?? '', operatorOpenId: e.data.operator_id?.open_id, external: e.data.external ?? false };
    }
    case 'task.task.updated_v1': {
      const e = taskUpdatedSchema.safeParse(env.event);
      if (!e.success) return undefined;
      return { kind: 'task_updated', eventId: id, taskId: e.data.task_id, objType: e.data.obj_type };
    }
    default:
      return undefined;
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** Text and image keys from a text, post or image message body. */
function readContent(type: string, body: unknown): { text: string; imageKeys: string[] } {
  const b = (body ?? {}) as Record<string, unknown>;
  if (type === 'text') return { text: String(b.text ?? ''), imageKeys: [] };
  if (type === 'image') return { text: '', imageKeys: typeof b.image_key === 'string' ? [b.image_key] : [] };
  if (type === 'post') {
    // Received posts are either {title, content} or keyed by locale ({zh_cn: {title, content}}).
    const post = (Array.isArray(b.content) ? b : (Object.values(b)[0] ?? {})) as { title?: string; content?: unknown };
    const lines: string[] = [];
    const imageKeys: string[] = [];
    for (const para of Array.isArray(post.content) ? post.content : []) {
      let line = '';
      for (const el of Array.isArray(para) ? para : []) {
        const node = el as Record<string, unknown>;
        if (node.tag === 'text' || node.tag === 'a') line += String(node.text ?? '');
        else if (node.tag === 'at') line += ` ${String(node.user_id ?? '')} `;
        else if (node.tag === 'img' && typeof node.image_key === 'string') imageKeys.push(node.image_key);
      }
      lines.push(line);
    }
    return { text: lines.join('\n').trim(), imageKeys };
  }
  return { text: '', imageKeys: [] };
}
