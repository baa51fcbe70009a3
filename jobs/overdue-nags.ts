import { planNags } from '../src/domain/nags.ts';
import { nagDigestRecords, nagDigestRef } from '../src/domain/nag-digests.ts';
import { planNagDelivery } from '../src/domain/nag-delivery.ts';
import { adminsOf } from '../src/domain/people.ts';
import { planTipNags } from '../src/domain/tip-nags.ts';
import { formatDate } from '../src/domain/time.ts';
import { tipNagText } from '../src/views/tip-cards.ts';
import { queueAhead } from '../src/jobs/runner.ts';
import type { Job } from '../src/jobs/types.ts';
import { Effects } from '../src/outbox/effects.ts';
import { LARK_LIMITS } from '../src/outbox/rate-limit.ts';
import { nagBacklogText } from '../src/views/nag-cards.ts';

export interface OverdueNagsOptions {
  /** Lark's per-app messages a minute, which the delivery plan paces itself by. */
  perMinute: number;
  /**
   * Digests queued per commit. A province's run is tens of thousands of digests: they are queued a
   * chunk at a time (outbox rows with their nag_digests rows) ahead of the slot's own batch instead
   * of all held at once. Each carries a dedupe key, so a retried slot queues none twice.
   */
  chunk: number;
}

export const DEFAULT_NAG_CHUNK = 2_000;

/** Hourly at minute 5: Lark advises against sending exactly on the hour. */
export function makeOverdueNags(o: OverdueNagsOptions): Job {
  return {
    name: 'overdue-nags',
    cron: '5 * * * *',
    summary: { zh: '逾期整改催办与逐级督办', en: 'nag overdue rectifications and escalate' },
    async run({ db, settings, log }, now) {
      const plan = await planNags(db, settings, now);
      const fx = new Effects(now);
      fx.write(...plan.statements);
      const delivery = planNagDelivery(plan.digests, { perMinute: o.perMinute, now });
      plan.digests.length = 0; // the delivery order holds them now; let each chunk's cards go once queued
      if (delivery.overHour) {
        const text = nagBacklogText({ digests: delivery.order.length, calls: delivery.calls, minutes: delivery.minutes, perMinute: o.perMinute, byLevel: delivery.byLevel, lastWaveAt: delivery.lastWaveAt!, tz: settings.tz });
        const admins = await adminsOf(db, settings.adminOpenIds);
        if (!admins.length) log.warn('overdue-nags needs more than an hour to deliver and there is no admin to tell', { calls: delivery.calls });
        const day = formatDate(now, settings.tz);
        for (const admin of admins) fx.send({ openId: admin }, { text }, { dedupeKey: `nag-backlog:${day}:${now.toISOString()}:${admin}` });
      }
      // Each digest is its nag_digests row (the day's log, and what the card is rendered from) and
      // an outbox row naming it: the sender renders the card when it sends it (docs/adr/0024).
      const chunked = delivery.order.length > o.chunk;
      for (let i = 0; i < delivery.order.length; i += o.chunk) {
        const part = chunked ? new Effects(now) : fx;
        const slice = delivery.order.slice(i, i + o.chunk);
        part.write(...nagDigestRecords(db, slice, plan.day, now));
        for (const { digest: d, level, notBefore } of slice) {
          const id = part.send(d.to, { deferred: nagDigestRef(d, level, now, settings.tz) }, { dedupeKey: d.dedupeKey, notBefore });
          if (d.buzz && 'openId' in d.to) part.buzz(id, [d.to.openId], { dedupeKey: `${d.dedupeKey}:buzz` });
        }
        if (chunked) fx.queuedAhead += await queueAhead(db, part.messages, part.statements);
      }
      // Overdue 12350 tips (issue 17) ride along in the same run and batch.
      const tips = await planTipNags(db, settings, now);
      fx.write(...tips.statements);
      for (const n of tips.nags) fx.send({ openId: n.to }, { text: tipNagText(n.tips, settings.tz) }, { dedupeKey: n.dedupeKey });
      return fx;
    },
  };
}

const overdueNags = makeOverdueNags({ perMinute: LARK_LIMITS.perMinute, chunk: DEFAULT_NAG_CHUNK });
export default overdueNags;
