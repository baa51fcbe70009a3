import { ADMIN, senders } from './city.ts';
import { drain, pool, tally, type Delivery, type Tally, type UserMessage } from './lark-side.ts';
import { pick, seeded } from './rng.ts';
import type { World } from './world.ts';

// The failure scenarios of issue 12, each against real server processes: kill -9 while events are
// being posted (ingest), while the inbox is being worked (processing) and while replies are being
// sent (delivery); 30% of Lark's answers failing; two instances on one database file.

export type KillPhase = 'ingest' | 'processing' | 'delivery';

export interface RoundFigures extends Tally {
  scenario: string;
  /** Seconds from the (re)start until the last acknowledged event was answered. */
  drainSeconds: number;
  drained: boolean;
  extra?: Record<string, number>;
  /** The round's events, for the recount at the end of the run (scripts/chaos/chaos.ts). */
  deliveries: Delivery[];
  /** What a failing figure was made of (printed under the table). */
  notes?: string[];
}

/** `@bot /whoami` from registered inspectors in group chats, as the run sent them. */
function whoamis(w: World, n: number, random: () => number): UserMessage[] {
  const people = senders(20);
  return Array.from({ length: n }, (_, i) => ({
    senderOpenId: pick(random, people).openId,
    chatId: `oc_chaos_group_${i % 10}`,
    chatType: 'group',
    text: '@_user_1 /whoami',
    mentions: [{ openId: w.fake.botOpenId, name: '安全值守助手' }],
  }));
}

export async function killRound(w: World, phase: KillPhase, o: { events: number; seed: number; drainTimeoutMs: number }): Promise<RoundFigures> {
  const random = seeded(o.seed);
  let server = w.servers[0] ?? (await w.start());
  const msgs = whoamis(w, o.events, random);
  const ds: Delivery[] = [];
  let restartedAt = 0;
  const restart = async () => {
    await w.kill(server);
    server = await w.start();
    restartedAt = Date.now();
  };
  if (phase === 'ingest') {
    // Killed a third of the way through the posting; Lark keeps redelivering what got no 200.
    let killing: Promise<void> | undefined;
    await pool(msgs, 8, async (m) => {
      const d = await w.lark.deliver(m);
      ds.push(d);
      if (!killing && ds.filter((x) => x.acked).length >= Math.floor(o.events / 3)) killing = restart();
    });
    await killing;
  } else if (phase === 'processing') {
    // All posted as fast as the server acknowledges, killed the moment the last one is acknowledged.
    await pool(msgs, 16, async (m) => void ds.push(await w.lark.deliver(m)));
    await restart();
  } else {
    // Slow answers from Lark keep replies in flight; killed once a fifth of them have arrived — while
    // events are still being posted, or the replies would all be out before the kill on a quick machine.
    w.fake.setLatency(150);
    const posting = pool(msgs, 16, async (m) => void ds.push(await w.lark.deliver(m)));
    for (const end = Date.now() + 30_000; Date.now() < end; ) {
      if (ds.filter((d) => w.lark.replies(d.messageId).length).length >= o.events / 5) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await restart();
    await posting;
    w.fake.setLatency(0);
  }
  const drained = await drain(w.lark, ds, restartedAt, o.drainTimeoutMs);
  return { scenario: `kill -9 during ${phase}`, ...tally(w.lark, ds), drainSeconds: drained.ms / 1000, drained: drained.done, deliveries: ds };
}

/**
 * 100 events while 30% of the calls answering them fail. Only those calls fail (`match`), so the
 * short run can fuzz beside it: other chats meet only the app-wide pauses its 429s cause.
 */
export async function faultRound(w: World, o: { events: number; seed: number; drainTimeoutMs: number }): Promise<RoundFigures> {
  if (!w.servers.length) await w.start();
  const random = seeded(o.seed);
  const msgs = whoamis(w, o.events, random);
  w.fake.faultStats.callsInResetWindow = 0;
  w.fake.faultStats.injected = { '500': 0, '429': 0, timeout: 0 };
  const ours = new Set<string>();
  // The first three calls fail, one of each kind (so even the short run meets a timeout and a 429
  // while other chats have replies due); then 30% of calls, each kind in turn in a random order.
  w.fake.setFaults({
    rate: 0.3,
    kinds: ['500', '429', 'timeout'],
    random: seeded(o.seed + 1),
    firstFailing: 3,
    match: (c) => ours.has(c.path.split('/')[5] ?? ''), // /open-apis/im/v1/messages/{message_id}/reply
  });
  const started = Date.now();
  const ds: Delivery[] = [];
  await pool(msgs, 8, async (m) => void ds.push(await w.lark.deliver(m, { onCreated: (id) => ours.add(id) })));
  const drained = await drain(w.lark, ds, started, o.drainTimeoutMs);
  w.fake.setFaults(undefined);
  await new Promise((r) => setTimeout(r, 1000)); // the last 429's reset window closes before the count
  const s = w.fake.faultStats;
  const inside = w.callsBegunInsideResetWindow(started);
  return {
    scenario: '30% of Lark calls fail (500 / 429 / timeout)',
    ...tally(w.lark, ds),
    drainSeconds: drained.ms / 1000,
    drained: drained.done,
    extra: {
      injected500: s.injected['500'],
      injected429: s.injected['429'],
      injectedTimeouts: s.injected.timeout,
      // Must be 0: calls a server began after a 99991400 had reached it, before its reset (its own socket's view).
      callsInsideResetWindow: inside.length,
      // Lark's view: also the calls already on the wire when the 429 went out, which no client can recall.
      arrivedInsideResetWindow: s.callsInResetWindow,
    },
    deliveries: ds,
    notes: inside.map((l) => `begun inside a reset window: ${l.method} ${l.path}`),
  };
}

export async function twoInstancesRound(w: World, o: { events: number; seed: number; drainTimeoutMs: number }): Promise<RoundFigures> {
  while (w.servers.length < 2) await w.start();
  const random = seeded(o.seed);
  const msgs = whoamis(w, o.events, random);
  const started = Date.now();
  const ds: Delivery[] = [];
  // Each event to one instance; every fourth to both at once, as Lark's retries can land.
  await pool(msgs, 8, async (m, i) => void ds.push(await w.lark.deliver(m, { toAll: i % 4 === 0 })));
  const drained = await drain(w.lark, ds, started, o.drainTimeoutMs);
  // Back to one instance for whatever runs next.
  while (w.servers.length > 1) await w.stop(w.servers[w.servers.length - 1]);
  return { scenario: 'two instances on one database file', ...tally(w.lark, ds), drainSeconds: drained.ms / 1000, drained: drained.done, deliveries: ds };
}

export { ADMIN };
