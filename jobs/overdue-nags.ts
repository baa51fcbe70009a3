import { planNags } from '../src/domain/nags.ts';
import { planTipNags } from '../src/domain/tip-nags.ts';
import { tipNagText } from '../src/views/tip-cards.ts';
import type { Job } from '../src/jobs/types.ts';
import { Effects } from '../src/outbox/effects.ts';
import { nagDigestCard } from '../src/views/nag-cards.ts';

/** Hourly at minute 5: Lark advises against sending exactly on the hour. */
const overdueNags: Job = {
  name: 'overdue-nags',
  cron: '5 * * * *',
  summary: { zh: '逾期整改催办与逐级督办', en: 'nag overdue rectifications and escalate' },
  async run({ db, settings }, now) {
    const plan = await planNags(db, settings, now);
    const fx = new Effects(now);
    fx.write(...plan.statements);
    for (const d of plan.digests) {
      const id = fx.send(d.to, { card: nagDigestCard(d.items, { recipientName: d.recipientName, now, tz: settings.tz }) }, { dedupeKey: d.dedupeKey });
      if (d.buzz && 'openId' in d.to) fx.buzz(id, [d.to.openId], { dedupeKey: `${d.dedupeKey}:buzz` });
    }
    // Overdue 12350 tips (issue 17) ride along in the same run and batch.
    const tips = await planTipNags(db, settings, now);
    fx.write(...tips.statements);
    for (const n of tips.nags) fx.send({ openId: n.to }, { text: tipNagText(n.tips, settings.tz) }, { dedupeKey: n.dedupeKey });
    return fx;
  },
};

export default overdueNags;
