import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { BotError } from '../src/bot/errors.ts';
import { handoverFrom, insertHandover, outgoingShiftOf, shiftSummary } from '../src/domain/handovers.ts';
import { nameOf, peopleInfo, successorOf } from '../src/domain/roster.ts';
import { formatDateTime } from '../src/domain/time.ts';
import { handoverCard } from '../src/views/roster-cards.ts';

const USAGE = '/handover 交班记录…';

export default defineCommand({
  name: 'handover',
  aliases: ['交班'],
  summary: { zh: '值班员交班：记录交班事项并自动附上本班概况，接班人签收', en: 'hand over your shift: your notes plus an automatic summary, for the incoming officer to sign' },
  usage: USAGE,
  // The notes are the whole text after the command, as written (key:value pairs and all).
  args: z.object({ rest: z.string().optional() }).transform((a) => ({ notes: (a.rest ?? '').trim() })),
  roles: 'registered',
  async handle(ctx, { notes }) {
    const { tz } = ctx.settings;
    const me = ctx.caller.openId;
    const from = await outgoingShiftOf(ctx.db, me, ctx.now);
    if (!from) {
      throw new BotError('您现在没有值班员班次（或已超过交班时限 2 小时），无需交班。', 'You have no duty-officer shift now (or it ended more than 2 hours ago); there is nothing to hand over.');
    }
    const done = await handoverFrom(ctx.db, from.id);
    if (done) {
      throw new BotError(`本班已于 ${formatDateTime(new Date(done.createdAt), tz)} 交班。`, `This shift was already handed over at ${formatDateTime(new Date(done.createdAt), tz)}.`);
    }
    if (!notes) throw new BotError(`请写明交班事项。用法：${USAGE}`, `Write what the next officer needs to know. Usage: ${USAGE}`);
    if (notes.length > 2000) throw new BotError('交班记录过长（最多 2000 字）。', 'The notes are too long (2000 characters at most).');
    const to = await successorOf(ctx.db, from);
    const summary = await shiftSummary(ctx.db, from, ctx.now);
    const info = await peopleInfo(ctx.db, [me, to?.personOpenId]);
    const view = { fromShift: from, from: me, to: to?.personOpenId, notes, summary, info, tz };
    const cardOutboxId = to ? ctx.send({ openId: to.personOpenId }, { card: handoverCard(view) }, { subject: `handover:${from.id}` }) : undefined;
    ctx.write(insertHandover(ctx.db, { from, to, notes, summary, cardOutboxId }, ctx.now));
    ctx.reply({ card: handoverCard({ ...view, signable: false }) });
    ctx.reply({
      text: to
        ? `已交班，已请接班值班员 ${nameOf(info, to.personOpenId)} 签收。\nHanded over; ${nameOf(info, to.personOpenId)} has been asked to sign.`
        : '已记录交班，但值班表上没有下一班值班员，请联系管理员排班。\nHandover recorded, but no next duty officer is on the roster; ask an admin to fill it.',
    });
  },
});
