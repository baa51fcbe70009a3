import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { BotError } from '../src/bot/errors.ts';
import { nobodyNamed, personNamed } from '../src/bot/person-named.ts';
import { nameOf, peopleInfo, shiftSpanLong } from '../src/domain/roster.ts';
import { insertSwap, pendingFor, pickSwapShifts } from '../src/domain/swaps.ts';
import { formatDateTime, parseLocalDate } from '../src/domain/time.ts';
import { swapCard } from '../src/views/roster-cards.ts';

const USAGE = '/swap YYYY-MM-DD @某人 [对方班次日期 YYYY-MM-DD]';

export default defineCommand({
  name: 'swap',
  aliases: ['换班'],
  summary: { zh: '申请与他人换班，对方在卡片上同意或拒绝', en: 'ask someone to swap shifts; they accept or decline on a card' },
  usage: USAGE,
  args: z.object({
    words: z.array(z.string()).min(1).max(3),
    mentions: z.array(z.object({ openId: z.string(), name: z.string() })).max(1),
  }),
  roles: 'registered',
  async handle(ctx, a) {
    const { tz } = ctx.settings;
    const bad = () => new BotError(`参数有误。用法：${USAGE}`, `Bad arguments. Usage: ${USAGE}`);
    const words = [...a.words];
    const dateOf = (w: string | undefined) => {
      const d = w === undefined ? undefined : parseLocalDate(w, ctx.now, tz);
      if (!d || d.hasTime) throw new BotError(`「${w ?? ''}」不是日期。用法：${USAGE}`, `"${w ?? ''}" is not a date. Usage: ${USAGE}`);
      return d.date;
    };
    const day = dateOf(words.shift());
    let target = a.mentions[0]?.openId;
    if (!target) {
      const name = words.shift();
      if (!name) throw bad();
      const person = await personNamed(ctx.db, name);
      if (!person) throw nobodyNamed(name);
      target = person.openId;
    }
    if (words.length > 1) throw bad();
    const otherDay = words.length ? dateOf(words[0]) : undefined;
    const me = ctx.caller.openId;
    if (target === me) throw new BotError('不能和自己换班。', 'You cannot swap with yourself.');

    const { mine, theirs } = await pickSwapShifts(ctx.db, me, target, day, ctx.now, tz, otherDay);
    const info = await peopleInfo(ctx.db, [me, target]);
    const pending = await pendingFor(ctx.db, [mine.id, theirs.id]);
    if (pending) {
      throw new BotError(
        `这两个班次之一已有待答复的换班申请（${nameOf(info, pending.requesterOpenId)} → ${nameOf(info, pending.targetOpenId)}），请等对方答复或过期后再申请。`,
        `One of these shifts already has a swap request waiting (${nameOf(info, pending.requesterOpenId)} → ${nameOf(info, pending.targetOpenId)}); wait for the answer or for it to expire.`,
      );
    }
    const key = { a: mine.id, b: theirs.id, t: ctx.now.getTime() };
    const cardId = ctx.send({ openId: target }, { card: swapCard({ req: { status: 'pending' }, mine, theirs, requester: me, target, info, tz, key }) });
    ctx.write(insertSwap(ctx.db, mine, theirs, cardId, ctx.now));
    const expires = formatDateTime(new Date(Math.min(mine.start, theirs.start)), tz);
    const them = nameOf(info, target);
    ctx.reply({
      text: [
        `已向 ${them} 发送换班申请：您的 ${shiftSpanLong(mine, tz)} ⇄ ${them} 的 ${shiftSpanLong(theirs, tz)}。对方同意后生效；${expires} 前未答复自动作废。`,
        `Swap request sent to ${them}: your ${shiftSpanLong(mine, tz)} ⇄ their ${shiftSpanLong(theirs, tz)}. It takes effect when they accept and expires unanswered at ${expires}.`,
      ].join('\n'),
    });
  },
});
