import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { allows, roleRefusal } from '../src/bot/access.ts';
import type { CardAction, CardActionList } from '../src/bot/card-actions.ts';
import type { BotContext } from '../src/bot/context.ts';
import { enterpriseFor, idFrom, requireSamePerson } from '../src/bot/enterprise-ref.ts';
import { BotError } from '../src/bot/errors.ts';
import {
  KIND_HINT,
  describeAction,
  enforcementFacts,
  insertEnforcement,
  parseKind,
  recentlyRecorded,
  splitEnforceWords,
  type EnforcementFacts,
} from '../src/domain/enforcement.ts';
import { enterpriseById, type Enterprise } from '../src/domain/enterprises.ts';
import type { Role } from '../src/domain/roles.ts';
import { doneCard } from '../src/views/enterprise-cards.ts';

const USAGE = '/enforce 企业名称 类别 [金额] [人数] [说明…]  类别：执法文书/停产整顿/查封/约谈/拘留/罚款';
const ROLES: readonly Role[] = ['inspector', 'leader', 'admin'];
const MAX_NOTE = 500;

export default defineCommand({
  name: 'enforce',
  aliases: ['执法'],
  summary: { zh: '记录一次执法：文书、停产整顿、查封、约谈、拘留、罚款', en: 'record an enforcement action: document, suspension, seal, interview, detention, fine' },
  usage: USAGE,
  args: z.object({
    words: z.array(z.string()).min(2),
    options: z.record(z.string(), z.string()),
    rest: z.string().optional(),
  }),
  roles: ROLES,
  async handle(ctx, a) {
    const split = splitEnforceWords(a.words);
    if ('error' in split) {
      throw split.error === 'no-kind'
        ? new BotError(`请写明执法类别（${KIND_HINT}）。用法：${USAGE}`, `Name the kind of action (${KIND_HINT}). Usage: ${USAGE}`)
        : new BotError(`请先写企业名称，再写类别。用法：${USAGE}`, `Write the enterprise first, then the kind. Usage: ${USAGE}`);
    }
    const facts = enforcementFacts(split.kind, split.amountText, split.peopleText);
    if (!facts.ok) throw new BotError(facts.zh, facts.en);
    const consumed = a.words.slice(0, split.kindAt + 1 + split.taken);
    const note = noteFrom(a.rest, consumed, [...a.words.slice(consumed.length), ...Object.entries(a.options).map(([k, v]) => `${k}:${v}`)]);
    if (note && note.length > MAX_NOTE) throw new BotError(`说明太长（最多 ${MAX_NOTE} 字）。`, `The note is too long (at most ${MAX_NOTE} characters).`);
    const f: EnforcementFacts = { kind: facts.kind, amountFen: facts.amountFen, people: facts.people };
    const e = await enterpriseFor(ctx, split.enterprise, {
      value: (c) => ({ action: 'enforce.pick', enterpriseId: c.id, ...f, note, by: ctx.caller.openId }),
      purpose: { zh: '记录执法', en: 'for this action' },
    });
    if (!e) return;
    const r = record(ctx, e, f, note);
    ctx.reply({ text: `${r.zh}\n${r.en}` });
  },
});

/**
 * The note is what follows the kind, amount and count, as the person typed it (options such as
 * `原因:无证` included): cut the consumed words off the front of the command text.
 */
function noteFrom(rest: string | undefined, consumed: string[], fallback: string[]): string | null {
  if (rest !== undefined) {
    let s = rest;
    let ok = true;
    for (const t of consumed) {
      s = s.trimStart();
      if (!s.startsWith(t)) {
        ok = false;
        break;
      }
      s = s.slice(t.length);
    }
    if (ok) return s.trim() || null;
  }
  return fallback.join(' ').trim() || null;
}

function record(ctx: BotContext, e: Enterprise, f: EnforcementFacts, note: string | null) {
  ctx.write(insertEnforcement(ctx.db, { ...f, enterpriseId: e.id, actorOpenId: ctx.caller.openId, note }, ctx.now));
  const d = describeAction(f);
  return {
    zh: `已记录执法：${e.name} · ${d.zh}${note ? `（${note}）` : ''}。`,
    en: `Recorded: ${d.en} at ${e.name}${note ? ` (${note})` : ''}.`,
  };
}

/** A second click on the same choice within this window is the same action, not another one. */
const REPEAT_MS = 5 * 60_000;

const onEnforcePick: CardAction = async (ctx, event) => {
  const v = event.value;
  requireSamePerson(ctx, v);
  if (!allows(ROLES, ctx.caller)) throw roleRefusal(ROLES, { zh: '记录执法', en: 'Recording enforcement' });
  const kind = parseKind(String(v.kind ?? ''));
  const amountFen = Number(v.amountFen ?? 0);
  const people = Number(v.people ?? 0);
  if (!kind || !Number.isInteger(amountFen) || amountFen < 0 || !Number.isInteger(people) || people < 0) {
    throw new BotError('此按钮已失效。', 'This button no longer works.');
  }
  const e = await enterpriseById(ctx.db, idFrom(v, 'enterpriseId'));
  if (!e) throw new BotError('该企业已不存在。', 'That enterprise no longer exists.');
  const note = typeof v.note === 'string' && v.note ? v.note : null;
  const f: EnforcementFacts = { kind, amountFen, people };
  const dup = await recentlyRecorded(ctx.db, { ...f, enterpriseId: e.id, actorOpenId: ctx.caller.openId }, ctx.now, REPEAT_MS);
  if (dup) {
    const d = describeAction(f);
    ctx.respond({ type: 'info', zh: '已记录过', en: 'Already recorded' }, doneCard({ zh: '执法', en: 'Enforcement' }, `已记录执法：${e.name} · ${d.zh}。`, `Recorded: ${d.en} at ${e.name}.`));
    return;
  }
  const r = record(ctx, e, f, note);
  ctx.respond({ type: 'success', zh: '已记录执法', en: 'Enforcement recorded' }, doneCard({ zh: '执法', en: 'Enforcement' }, r.zh, r.en));
};

/** The card actions this module answers (wired in commands/index.ts). */
export const enforceCardActions: CardActionList = [
  ['enforce.pick', onEnforcePick],
];
