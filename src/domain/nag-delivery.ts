
// How one overdue-nags run's digests go out under Lark's per-app limit (1,000 messages a minute).
// A county's daily run fits in minutes; a province's can need more than an hour, and then what
// matters most must not wait behind what matters least: level 3 (the leaders' chat, supervisors
// buzzed) first, then level 2, then level 1, each released at the pace the limit allows, with room
// left for people's commands and emergencies, and the admins told how long it will take.

export interface NagDeliveryOptions {
  /** The app's per-minute limit on messages (Lark: 1,000). */
  perMinute: number;
  /** The share of that the digests may take when they are released in waves (the rest is for everyone else). */
  share?: number;
  now: Date;
}

/** What the plan needs of a digest: its highest level, how many hazards it names, whether it buzzes. */
export interface DeliverableDigest {
  level: number;
  entries: ArrayLike<unknown>;
  buzz: boolean;
}

export interface NagDelivery<D extends DeliverableDigest = DeliverableDigest> {
  /** Every digest, most urgent level first (then more hazards first); queue them in this order. */
  order: { digest: D; level: number; notBefore?: Date }[];
  /** API calls: one per digest, one more per buzz. */
  calls: number;
  /** Minutes the calls need at the full per-minute limit. */
  minutes: number;
  /** More than an hour's worth: released in waves by level, and the admins are told. */
  overHour: boolean;
  /** Digests per level (3, 2, 1). */
  byLevel: Record<number, number>;
  /** When the last wave is released, when overHour. */
  lastWaveAt?: Date;
}

const DEFAULT_SHARE = 0.9;
const MINUTE = 60_000;

const callsOf = (d: DeliverableDigest) => (d.buzz ? 2 : 1);

/**
 * Orders the digests by level and, when they need more than an hour at `perMinute`, gives each a
 * release time: consecutive minutes carry at most `share × perMinute` calls, level 3 in the first
 * minutes, then level 2, then level 1 — so the outbox never holds more than a minute's worth of
 * nags ahead of a command's reply, and a level-1 reminder can never delay a level-3 one, whatever
 * the sender's priorities.
 */
export function planNagDelivery<D extends DeliverableDigest>(digests: readonly D[], o: NagDeliveryOptions): NagDelivery<D> {
  const ranked = digests.map((digest) => ({ digest, level: digest.level }));
  ranked.sort((a, b) => b.level - a.level || b.digest.entries.length - a.digest.entries.length);
  const calls = ranked.reduce((n, r) => n + callsOf(r.digest), 0);
  const byLevel: Record<number, number> = {};
  for (const r of ranked) byLevel[r.level] = (byLevel[r.level] ?? 0) + 1;
  const overHour = calls > o.perMinute * 60;
  const delivery: NagDelivery<D> = { order: ranked, calls, minutes: Math.ceil(calls / o.perMinute), overHour, byLevel };
  if (!overHour) return delivery;

  const perWave = Math.max(1, Math.floor(o.perMinute * (o.share ?? DEFAULT_SHARE)));
  const t = o.now.getTime();
  let used = 0;
  let wave = 0;
  delivery.order = ranked.map((r) => {
    const c = callsOf(r.digest);
    if (used > 0 && used + c > perWave) {
      wave++;
      used = 0;
    }
    used += c;
    return { ...r, notBefore: new Date(t + wave * MINUTE) };
  });
  delivery.minutes = wave + 1;
  delivery.lastWaveAt = new Date(t + wave * MINUTE);
  return delivery;
}
