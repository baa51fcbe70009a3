import { Effects } from '../src/outbox/effects.ts';
import { buzzRung, kindOf, startLadders } from '../src/bot/escalation-flow.ts';
import '../src/bot/ladder-kinds.ts';
import { boundChat } from '../src/domain/chats.ts';
import { advanceLadder, buzzUsage, decideRung, dueLadders, parseChain, postponeLadder, refusedPaidBuzzes, settleItem } from '../src/domain/escalations.ts';
import { adminsOf } from '../src/domain/people.ts';
import { afterQuietHours, inQuietHours } from '../src/domain/quiet-hours.ts';
import { nameOf, peopleInfo } from '../src/domain/roster.ts';
import { formatDate, startOfLocalDay } from '../src/domain/time.ts';
import { budgetNoticeText, notAnsweredText } from '../src/views/escalation-cards.ts';
import type { Job } from '../src/jobs/types.ts';

/**
 * Every minute: each buzzed person who has not pressed 收到 climbs their ladder — SMS after
 * ESCALATE_SMS_MINUTES, a phone call after ESCALATE_PHONE_MINUTES, and after
 * ESCALATE_NEXT_MINUTES the next group of the chain gets the card (and its own ladder) while the
 * duty chat hears who did not answer. A rung is taken once: the ladder row moves on only from
 * the rung it was read at, and every message carries a dedupe key naming ladder and rung, so a
 * rerun, a restart or a second instance sends nothing twice. A buzz more than ten minutes late is
 * skipped. Past the month's budget of paid buzzes an in-app buzz stands in, and the admins are
 * told once a day (also when Lark refused paid buzzes with 230023/230024).
 */
const escalations: Job = {
  name: 'escalations',
  cron: '* * * * *',
  // The rungs are minutes apart: a sandbox jump of a few hours shows each one at its minute.
  sandboxStepMs: 60_000,
  summary: { zh: '加急升级：未点「收到」依次短信、电话加急，再转下一级并告知值班群', en: 'acknowledge or escalate: SMS, then phone, then the next person in the chain, telling the duty chat' },
  async run({ db, settings, log }, now) {
    const fx = new Effects(now);
    const t = now.getTime();
    const tz = settings.tz;
    const deps = { db, settings };
    const limits = { sms: settings.escalation.smsMonthlyLimit, phone: settings.escalation.phoneMonthlyLimit };
    const due = await dueLadders(db, t);
    let overLimit = false;
    const usage = due.length ? await buzzUsage(db, now, tz) : undefined;
    const handedOn = new Set<string>();
    for (const e of due) {
      const kind = kindOf(e.item);
      if (!kind || (await kind.settled(db, e.item))) {
        fx.write(settleItem(db, e.item));
        continue;
      }
      if (e.quietHold && inQuietHours(now, settings.quietHours, tz)) {
        fx.write(postponeLadder(db, e, afterQuietHours(now, settings.quietHours, tz).getTime()));
        continue;
      }
      const d = decideRung(e, t, settings.escalation);
      fx.write(advanceLadder(db, e.id, e.nextRung, d.nextRung, d.nextAt));
      if (d.skipped.length) log.info('escalations: stale rungs skipped', { ladder: e.id, skipped: d.skipped.join(',') });
      if (d.take === 'sms' || d.take === 'phone') {
        const over = usage![d.take] >= limits[d.take];
        if (over) overLimit = true;
        else usage![d.take]++;
        buzzRung(fx, e, d.take, over);
      } else if (d.take === 'next') {
        const chain = parseChain(e.chain);
        const level = e.level + 1;
        const next = (chain[level] ?? []).filter((p) => !handedOn.has(`${e.item}:${p}`));
        next.forEach((p) => handedOn.add(`${e.item}:${p}`));
        if (next.length) await startLadders(fx, deps, { item: e.item, chain, level, quietHold: e.quietHold });
        const duty = await boundChat(db, 'duty');
        if (!duty) {
          log.warn('escalations: no duty chat is bound (/bind duty); nobody told who did not answer', { item: e.item });
          continue;
        }
        const names = await peopleInfo(db, [e.personOpenId, ...(chain[level] ?? [])]);
        const text = notAnsweredText({ what: await kind.what(db, e.item), missed: nameOf(names, e.personOpenId), minutes: settings.escalation.nextMinutes, next: (chain[level] ?? []).map((p) => nameOf(names, p)) });
        fx.send({ chatId: duty }, { text }, { dedupeKey: `esc:${e.id}:next:duty`, subject: kind.subject?.(e.item) });
      }
    }

    // The admins hear once a day that paid buzzes went out in-app instead.
    const refused = await refusedPaidBuzzes(db, startOfLocalDay(now, tz).getTime());
    if (overLimit || refused) {
      const text = budgetNoticeText({ usage: usage ?? (await buzzUsage(db, now, tz)), limits, refused, overLimit });
      const day = formatDate(now, tz);
      for (const admin of await adminsOf(db, settings.adminOpenIds)) fx.send({ openId: admin }, { text }, { dedupeKey: `buzz-budget:${day}:${admin}` });
    }
    return fx;
  },
};

export default escalations;
