// Helpers for the hazard tests: the people and enterprises of a small town, and ways to read
// what the bot showed (cards as text, DMs to someone, the hazard's card and its patches).
import { eq } from 'drizzle-orm';
import { enterprises, hazardEvents, hazards, outbox, people } from '../../src/db/schema.ts';
import type { FakeMessage } from '../../src/lark/fake/server.ts';
import { cardToText } from '../../src/lark/card-text.ts';
import { checkCard } from './card-check.ts';
import type { Harness } from './harness.ts';

export const ADMIN = 'ou_admin';
export const CONFIG_ADMIN = 'ou_config_admin';
export const LEADER = 'ou_leader';
export const INSPECTOR = 'ou_lina';
export const INSPECTOR2 = 'ou_zhaolei';
export const OFFICER = 'ou_officer';
export const CONTACT = 'ou_contact';
export const SUPERVISOR = 'ou_supervisor';
export const FIXER = 'ou_fixer';
export const STRANGER = 'ou_stranger';

export const NAMES: Record<string, string> = {
  [ADMIN]: '张管理',
  [LEADER]: '陈领导',
  [INSPECTOR]: '李娜',
  [INSPECTOR2]: '赵磊',
  [OFFICER]: '王值班',
  [CONTACT]: '刘联系',
  [SUPERVISOR]: '周包保',
  [FIXER]: '孙整改',
};

export const MEIHE = '梅河化工有限公司';

export async function seedTown(h: Harness) {
  const t = h.now.getTime();
  const roles: Record<string, string> = {
    [ADMIN]: 'admin',
    [LEADER]: 'leader',
    [INSPECTOR]: 'inspector',
    [INSPECTOR2]: 'inspector',
    [OFFICER]: 'officer',
    [CONTACT]: 'contact',
    [SUPERVISOR]: 'leader',
    [FIXER]: 'contact',
  };
  await h.db.insert(people).values(Object.entries(roles).map(([openId, r]) => ({ openId, name: NAMES[openId], roles: r, createdAt: t, updatedAt: t })));
  await h.db.insert(enterprises).values([
    { name: MEIHE, sector: 'hazardous_chemicals', township: '红梅镇', supervisorOpenId: SUPERVISOR, contactOpenId: CONTACT, createdAt: t, updatedAt: t },
    { name: '山城建筑工程公司', sector: 'construction', township: '山城镇', createdAt: t, updatedAt: t },
    { name: '山城建材厂', sector: 'other', township: '山城镇', createdAt: t, updatedAt: t },
  ]);
}

export const isCard = (m: FakeMessage) => m.msgType === 'interactive';
export const cardJson = (content: string) => JSON.parse(content) as Record<string, unknown>;
/** What a card shows, as text (Chinese), for assertions. */
export const cardText = (content: string | Record<string, unknown>) => cardToText(typeof content === 'string' ? cardJson(content) : content);
/** The text of a message: a text message's text, or a card's visible text. */
export function shown(m: FakeMessage): string {
  if (isCard(m)) return cardText(m.content);
  return (JSON.parse(m.content) as { text?: string }).text ?? m.content;
}
/** The card as it looks now: the last patch, or the original. */
export const currentCard = (m: FakeMessage) => cardText(m.patches.at(-1) ?? m.content);

/** Direct messages the bot sent to this person (optionally only those after a mark). */
export const dmsTo = (h: Harness, openId: string, since = 0) =>
  h.fake.messages.slice(since).filter((m) => m.receiveIdType === 'open_id' && m.receiveId === openId);

export async function hazardRow(h: Harness, no: string) {
  const [row] = await h.db.select().from(hazards).where(eq(hazards.no, no));
  return row;
}

export async function eventsOf(h: Harness, no: string) {
  const row = await hazardRow(h, no);
  return h.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, row.id)).orderBy(hazardEvents.id);
}

/** The hazard's own card message in the fake Lark (the one its card_outbox_id sent). */
export async function hazardCardMessage(h: Harness, no: string): Promise<FakeMessage> {
  const row = await hazardRow(h, no);
  const [o] = await h.db.select().from(outbox).where(eq(outbox.id, row.cardOutboxId!));
  const m = h.fake.messages.find((x) => x.messageId === o.larkMessageId);
  if (!m) throw new Error(`card of ${no} was not sent`);
  return m;
}

/** The hazard number a card or text shows first. */
export const noIn = (text: string) => /YH-\d{4}-\d{4}/.exec(text)?.[0];

/** Every card (and patch) in the fake must pass the card JSON 2.0 checker. */
export function cardProblems(h: Harness): string[] {
  const out: string[] = [];
  for (const m of h.fake.messages) {
    if (!m.senderOpenId || m.senderOpenId !== h.fake.botOpenId) continue;
    for (const c of [m.msgType === 'interactive' ? m.content : undefined, ...m.patches]) {
      if (c) out.push(...checkCard(JSON.parse(c)).map((p) => `${m.messageId}: ${p}`));
    }
  }
  return out;
}

/** Finds the button with this action in a card (searching forms and column sets). */
export function findButton(card: unknown, action: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const walk = (n: unknown) => {
    if (found || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const o = n as Record<string, unknown>;
    const behaviors = o.behaviors as { value?: { action?: string } }[] | undefined;
    if (o.tag === 'button' && behaviors?.some((b) => b.value?.action === action)) {
      found = behaviors.find((b) => b.value?.action === action)!.value as Record<string, unknown>;
      return;
    }
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

/** Every button value with this action in a card. */
export function allButtons(card: unknown, action: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (n: unknown) => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const o = n as Record<string, unknown>;
    if (o.tag === 'button') {
      for (const b of (o.behaviors as { value?: Record<string, unknown> }[] | undefined) ?? []) if (b.value?.action === action) out.push(b.value);
      return;
    }
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}
