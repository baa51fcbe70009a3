// 执法: the enforcement actions leaders count (下达执法文书309份, 停产整顿2户, 查封2户, 约谈38人,
// 拘留2人, 经济处罚105万元). One row is one action; only fines carry an amount and only
// interviews and detentions carry a number of people.

import type { Bi } from '../bi.ts';
import { and, eq, gte } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { enforcementActions } from '../db/schema.ts';
import { formatYuan, looksLikeMoney, parseMoney } from './money.ts';
import { own } from '../own.ts';

export const ENFORCEMENT_KINDS = ['document', 'suspend', 'seal', 'interview', 'detain', 'fine'] as const;
export type EnforcementKind = (typeof ENFORCEMENT_KINDS)[number];

export const KIND_LABELS: Record<EnforcementKind, Bi> = {
  document: { zh: '执法文书', en: 'enforcement document' },
  suspend: { zh: '停产整顿', en: 'suspension for rectification' },
  seal: { zh: '查封', en: 'seal-up' },
  interview: { zh: '约谈', en: 'interview' },
  detain: { zh: '拘留', en: 'detention' },
  fine: { zh: '罚款', en: 'fine' },
};

/** Everyday words for the same kinds. */
const KIND_ALIASES: Record<string, EnforcementKind> = {
  文书: 'document',
  停产: 'suspend',
  停业整顿: 'suspend',
  经济处罚: 'fine',
  处罚: 'fine',
  行政拘留: 'detain',
};

export const KIND_HINT = ENFORCEMENT_KINDS.map((k) => `${KIND_LABELS[k].zh}/${k}`).join('、');

export const takesAmount = (k: EnforcementKind) => k === 'fine';
export const takesPeople = (k: EnforcementKind) => k === 'interview' || k === 'detain';

export function parseKind(text: string): EnforcementKind | undefined {
  const t = text.trim();
  const lower = t.toLowerCase();
  for (const k of ENFORCEMENT_KINDS) if (lower === k || t === KIND_LABELS[k].zh) return k;
  return own(KIND_ALIASES, t);
}

export const MAX_PEOPLE = 999;

/** `2人`, `2` → 2. */
export function parsePeople(text: string): number | undefined {
  const m = /^(\d{1,4})\s*(人|名|个)?$/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

export interface EnforcementFacts {
  kind: EnforcementKind;
  amountFen: number;
  people: number;
}

export type FactsResult = ({ ok: true } & EnforcementFacts) | ({ ok: false } & Bi);

/**
 * The rules for one action, shared by the chat command and the ledger import: a fine needs an
 * amount; other kinds refuse one (record a fine separately); interviews and detentions count
 * people (default 1), other kinds refuse a count.
 */
export function enforcementFacts(kind: EnforcementKind, amountText: string | undefined, peopleText: string | undefined): FactsResult {
  const label = KIND_LABELS[kind];
  let amountFen = 0;
  const amount = amountText?.trim() ? amountText.trim() : undefined;
  if (takesAmount(kind)) {
    if (!amount) return { ok: false, zh: '罚款需要金额，例如 5万元', en: 'a fine needs an amount, e.g. 5万元' };
    const m = parseMoney(amount);
    if (!m.ok) return m;
    amountFen = m.fen;
  } else if (amount && amount !== '0') {
    return {
      ok: false,
      zh: `${label.zh}不记金额（"${amount}"）；如有罚款，请另记一条"罚款"`,
      en: `${label.en}: no amount is recorded ("${amount}"); record the fine as its own action`,
    };
  }
  let people = 0;
  const count = peopleText?.trim() ? peopleText.trim() : undefined;
  if (takesPeople(kind)) {
    people = 1;
    if (count) {
      const n = parsePeople(count);
      if (n === undefined || n < 1 || n > MAX_PEOPLE) {
        return { ok: false, zh: `人数"${count}"无效，应为 1–${MAX_PEOPLE} 的整数`, en: `"${count}" is not a number of people (1–${MAX_PEOPLE})` };
      }
      people = n;
    }
  } else if (count && count !== '0') {
    return { ok: false, zh: `只有约谈、拘留记录人数（"${count}"）`, en: `only interviews and detentions count people ("${count}")` };
  }
  return { ok: true, kind, amountFen, people };
}

export interface EnforceWords {
  kind: EnforcementKind;
  /** Words before the kind: the enterprise name. */
  enterprise: string;
  amountText?: string;
  peopleText?: string;
  /** Index of the kind among the words. */
  kindAt: number;
  /** How many words after the kind were taken as amount and count. */
  taken: number;
}

/**
 * Reads `ENTERPRISE KIND [金额] [人数] [说明…]` from the words of a command. The first word that is a
 * kind ends the enterprise name. Right after the kind, an amount-like word (for a fine, any word) is the
 * amount and a count-like word the number of people, so `约谈 2`, `约谈 2人` and `罚款 5万元` all read as meant.
 */
export function splitEnforceWords(words: string[]): EnforceWords | { error: 'no-kind' | 'no-enterprise' } {
  const at = words.findIndex((w, i) => i > 0 && parseKind(w) !== undefined);
  if (at === -1) return { error: parseKind(words[0] ?? '') ? 'no-enterprise' : 'no-kind' };
  const kind = parseKind(words[at])!;
  const after = words.slice(at + 1);
  let taken = 0;
  let amountText: string | undefined;
  let peopleText: string | undefined;
  const bareInt = (w: string | undefined) => w !== undefined && /^\d+$/.test(w);
  const counted = (w: string | undefined) => w !== undefined && /^\d+\s*(人|名|个)$/.test(w);
  const first = after[0];
  // A bare number right after an interview or detention is its count, unless another number follows.
  const firstIsCount = takesPeople(kind) && bareInt(first) && !(bareInt(after[1]) || counted(after[1]));
  // A fine's amount must come right after the kind, so whatever stands there is read (and judged) as one.
  if (first !== undefined && (kind === 'fine' || looksLikeMoney(first)) && !firstIsCount) amountText = after[taken++];
  const w = after[taken];
  if (counted(w) || (takesPeople(kind) && bareInt(w))) peopleText = after[taken++];
  return { kind, enterprise: words.slice(0, at).join(' '), amountText, peopleText, kindAt: at, taken };
}

export function describeAction(f: EnforcementFacts): Bi {
  const label = KIND_LABELS[f.kind];
  if (f.kind === 'fine') return { zh: `${label.zh} ${formatYuan(f.amountFen)}`, en: `${label.en} of ${formatYuan(f.amountFen)}` };
  if (takesPeople(f.kind)) return { zh: `${label.zh} ${f.people}人`, en: `${label.en}, ${f.people} ${f.people === 1 ? 'person' : 'people'}` };
  return { zh: label.zh, en: label.en };
}

/** The insert for one action taken in chat. */
/**
 * Whether this person recorded the same action at the same enterprise within `withinMs` of now:
 * a second click on the pick card, or the same command sent twice.
 */
export async function recentlyRecorded(db: Db, f: EnforcementFacts & { enterpriseId: number; actorOpenId: string }, now: Date, withinMs: number): Promise<boolean> {
  const [dup] = await db
    .select({ id: enforcementActions.id })
    .from(enforcementActions)
    .where(and(
      eq(enforcementActions.enterpriseId, f.enterpriseId),
      eq(enforcementActions.kind, f.kind),
      eq(enforcementActions.amountFen, f.amountFen),
      eq(enforcementActions.people, f.people),
      eq(enforcementActions.actorOpenId, f.actorOpenId),
      gte(enforcementActions.at, now.getTime() - withinMs),
    ))
    .limit(1);
  return dup !== undefined;
}

export function insertEnforcement(
  db: Db,
  v: EnforcementFacts & { enterpriseId: number; actorOpenId: string | null; note: string | null },
  now: Date,
) {
  return db.insert(enforcementActions).values({
    enterpriseId: v.enterpriseId,
    kind: v.kind,
    amountFen: v.amountFen,
    people: v.people,
    note: v.note,
    actorOpenId: v.actorOpenId,
    at: now.getTime(),
    createdAt: now.getTime(),
  });
}
