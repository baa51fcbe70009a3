// Helpers for the hazard tests: the people and enterprises of a small town, reporting a hazard,
// and ways to find what the bot sent about one (DMs to someone, the hazard's card and its rows).
// Reading cards themselves is in cards.ts.
import { eq } from 'drizzle-orm';
import { enterprises, hazardEvents, hazards, outbox, people } from '../../src/db/schema.ts';
import type { FakeMessage } from '../../src/lark/fake/server.ts';
import { checkCard } from './card-check.ts';
import { isCard, shown } from './cards.ts';
import { startHarness, type Harness, type HarnessOptions } from './harness.ts';

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

/** A Watchkeeper with the town's people and enterprises in it. */
export async function startTown(o: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness(o);
  await seedTown(h);
  return h;
}

async function seedTown(h: Harness) {
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

/** Reports a hazard as someone types it; returns the hazard card the bot answers with in the thread, and its number. */
export async function reportHazard(h: Harness, who: string, text: string, opts: Parameters<Harness['say']>[2] = {}) {
  const r = await h.say(who, text, opts);
  const card = r.replies.find((m) => m.parentId === r.messageId && isCard(m))!;
  return { no: noIn(shown(card))!, card, messageId: r.messageId };
}

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
