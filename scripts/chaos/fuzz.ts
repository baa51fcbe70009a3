import { PEOPLE } from './city.ts';
import { fuzzMessages } from './fuzz-corpus.ts';
import { drain, pool, type Delivery } from './lark-side.ts';
import { seeded } from './rng.ts';
import type { World } from './world.ts';

export interface FuzzFigures {
  scenario: string;
  seed: number;
  messages: number;
  fiveXx: number;
  /** Commands (every fuzz message is one: p2p, or @bot in a group) with no reply in their thread. */
  unanswered: number;
  /** Events whose processing threw (logged, retried, apologised for) or servers that died. */
  crashes: number;
  drainSeconds: number;
  examples: string[];
  /** At the end: inbox rows by status and outbox rows still waiting, to tell "slow" from "dropped". */
  queues: { inbox: Record<string, number>; outboxWaiting: number; outboxFailed: number };
}

const ROLE_OPEN_ID: Record<string, string> = Object.fromEntries(PEOPLE.map((p) => [p.roles.split('|')[0], p.openId]));

export async function fuzzRound(w: World, o: { messages: number; seed: number; drainTimeoutMs: number; log?: (l: string) => void }): Promise<FuzzFigures> {
  if (!w.servers.length) await w.start();
  const before = w.crashes();
  const apologiesBefore = w.apologies();
  const msgs = fuzzMessages(o.messages, seeded(o.seed));
  const registered = PEOPLE.find((p) => p.roles === 'officer')!;
  const started = Date.now();
  const ds: Delivery[] = [];
  await pool(msgs, 8, async (m, i) => {
    const senderOpenId = m.as === 'stranger' ? 'ou_chaos_stranger' : (Object.hasOwn(ROLE_OPEN_ID, m.as) ? ROLE_OPEN_ID[m.as] : ROLE_OPEN_ID.admin);
    const bot = { openId: w.fake.botOpenId, name: '安全值守助手' };
    const person = { openId: registered.openId, name: registered.name };
    ds.push(
      await w.lark.deliver(
        m.chat === 'p2p'
          ? { senderOpenId, chatId: `oc_p2p_${senderOpenId}`, chatType: 'p2p', text: m.text.replace(/@_user_2/g, '@_user_1'), mentions: [person] }
          : { senderOpenId, chatId: `oc_chaos_fuzz_${i % 20}`, chatType: 'group', text: `@_user_1 ${m.text}`, mentions: [bot, person] },
      ),
    );
  });
  // Lark's 1000 calls a minute pace 2,000 replies over minutes: wait while replies keep coming.
  const progress = setInterval(() => {
    const answered = ds.filter((d) => w.lark.replies(d.messageId).length).length;
    o.log?.(`fuzz: ${ds.length} posted, ${answered} answered`);
  }, 30_000);
  const drained = await drain(w.lark, ds, started, 15 * 60_000, o.drainTimeoutMs).finally(() => clearInterval(progress));
  const unanswered = ds.filter((d) => w.lark.replies(d.messageId).length === 0);
  const after = w.crashes();
  const crashes = after.failedEvents - before.failedEvents + after.unexpectedExits - before.unexpectedExits + w.apologies() - apologiesBefore;
  return {
    scenario: 'fuzz',
    seed: o.seed,
    messages: ds.length,
    fiveXx: ds.reduce((n, d) => n + d.fiveXx, 0),
    unanswered: unanswered.length,
    crashes,
    drainSeconds: drained.ms / 1000,
    examples: unanswered.slice(0, 5).map((d) => JSON.stringify(d.msg.text.slice(0, 120))),
    queues: await w.queues(),
  };
}
