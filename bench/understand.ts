// npm run bench:understand
//
// The plain-message understanding (src/bot/understand/) over the corpus in test/fixtures/understand/
// (written for the demo city; ≥ 400 messages, each with its expected intent and fields), with the
// demo city's enterprises inside a 5,000-enterprise registry (the rest generated, seeded). Prints
// per-field accuracy — for the whole corpus and for its two halves (odd / even lines: the parser was
// tuned looking at the "dev" half only; "held-out" was written at the same time and not looked at
// while tuning) — and the parse time p50/p99. Baseline, measured in the same run: finding the
// enterprise by scanning every name form of every enterprise per message, as a naive bot would.
// Last, every message goes through the real router against a seeded demo database, to count how
// many got an answer.
//
// Goals (issue 15): intent ≥ 97 %, enterprise ≥ 97 %, deadline ≥ 97 %, level ≥ 99 %, p99 parse
// ≤ 5 ms, 100 % answered. Knobs: BENCH_ENTERPRISES (default 5000), BENCH_REPEAT (timed passes, 5).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { understand, type Person, type Understanding } from '../src/bot/understand/understand.ts';
import { EnterpriseIndex, keysOf, type EnterpriseEntry } from '../src/bot/understand/enterprise-index.ts';
import { normalize } from '../src/bot/understand/text.ts';
import { formatDate } from '../src/domain/time.ts';
import { DEMO_ALIASES, DEMO_ENTERPRISES, DEMO_PEOPLE } from '../src/sandbox/demo-city.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { seedDemo } from '../src/sandbox/seed.ts';
import { makeSettings } from '../src/settings.ts';
import { CommandRegistry } from '../src/bot/registry.ts';
import { cardActions, commands } from '../commands/index.ts';
import { routeEvent } from '../src/bot/router.ts';
import { silentLogger } from '../src/log.ts';
import { percentile } from './common.ts';

const int = (name: string, dflt: number, min = 1) => {
  const v = process.env[name];
  const n = v === undefined ? dflt : Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}`);
  return n;
};
const N_ENTERPRISES = int('BENCH_ENTERPRISES', 5000, DEMO_ENTERPRISES.length);
const REPEAT = int('BENCH_REPEAT', 5);
const TZ = 'Asia/Shanghai';
/** The corpus is written for Tue 2026-12-01 10:00 local. */
const NOW = new Date('2026-12-01T02:00:00Z');
// The 2026 holidays around the corpus's dates (none fall in December; the table is consulted anyway).
const HOLIDAYS = new Map<string, string>([['2027-01-01', 'holiday']]);

// ── corpus ────────────────────────────────────────────────────────────────────────────────────

interface Case {
  line: number;
  half: 'dev' | 'held-out';
  intent: Understanding['intent'];
  text: string;
  /** hazard: enterprise (name or new:NAME), deadline, level; incident: type; duty: word; stats: words; done: no */
  expect: string[];
}

function readCorpus(): Case[] {
  const dir = 'test/fixtures/understand';
  const out: Case[] = [];
  let n = 0;
  for (const file of readdirSync(dir).filter((f) => f.startsWith('corpus-') && f.endsWith('.txt')).sort()) {
    for (const raw of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!raw.trim() || raw.startsWith('#')) continue;
      const parts = raw.split(' | ');
      const intent = parts[0].trim() as Case['intent'];
      const text = parts[parts.length - 1];
      n++;
      out.push({ line: n, half: n % 2 ? 'dev' : 'held-out', intent, text, expect: parts.slice(1, -1).map((s) => s.trim()) });
    }
  }
  return out;
}

// ── registry: the demo city inside thousands of generated enterprises ─────────────────────────

function registry(): EnterpriseEntry[] {
  const entries: EnterpriseEntry[] = DEMO_ENTERPRISES.map((e, i) => ({ id: i + 1, name: e[0], township: e[2], aliases: DEMO_ALIASES[e[0]] ?? null }));
  // mulberry32: a small seeded generator whose low bits are as random as its high ones.
  let seed = 20261201;
  const rand = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
  const pick = <T>(a: readonly T[]) => a[rand(a.length)];
  const places = ['东兴', '南岭', '西湖', '北辰', '金沙', '银河', '永安', '长兴', '福田', '龙泉', '凤凰', '清河', '三江', '白石', '黄山', '青云', '桃源', '新华', '胜利', '和平'];
  const brands = ['恒通', '鑫源', '华兴', '瑞丰', '宏远', '天诚', '海达', '金盛', '隆昌', '广源', '正大', '汇丰', '兴业', '盛达', '中联', '德胜', '万通', '信达', '富民', '利华', '安泰', '永盛', '嘉禾', '东方'];
  const trades = ['机械制造', '化工', '建材', '纺织', '食品', '物流', '建筑工程', '电子科技', '塑料制品', '五金', '家具', '印刷', '钢结构', '木业', '包装', '汽车配件', '新材料', '陶瓷', '药业', '环保科技'];
  const suffixes = ['有限公司', '有限责任公司', '股份有限公司', '厂', '公司'];
  const townships = ['红梅镇', '山城镇', '青石街道', '柳溪乡', '东关镇', '西岭乡', '南河街道', '北山镇'];
  const seen = new Set(entries.map((e) => e.name));
  while (entries.length < N_ENTERPRISES) {
    const name = `${rand(3) === 0 ? pick(places) : ''}${pick(brands)}${pick(trades)}${pick(suffixes)}`;
    if (seen.has(name)) continue;
    seen.add(name);
    entries.push({ id: entries.length + 1, name, township: pick(townships), aliases: null });
  }
  return entries;
}

/** What a naive bot does per message: try every name form of every enterprise against the text. */
function naiveFind(text: string, forms: { id: number; keys: string[] }[]): number | undefined {
  let best: { id: number; len: number } | undefined;
  const t = text.toLowerCase();
  for (const f of forms) for (const k of f.keys) if (t.includes(k) && (!best || k.length > best.len)) best = { id: f.id, len: k.length };
  return best?.id;
}

// ── scoring ───────────────────────────────────────────────────────────────────────────────────

const people = new Map<string, string>(DEMO_PEOPLE.map((p) => [p.name, p.openId]));
/** "@刘洋" in the corpus is a mention: taken out of the text, given as a person (as Lark does). */
function mentions(text: string): { text: string; people: Person[] } {
  const found: Person[] = [];
  const rest = text.replace(/@(\S{2,3})/g, (all, name: string) => {
    const id = people.get(name);
    if (!id) return all;
    found.push({ openId: id, name });
    return ' ';
  });
  return { text: rest, people: found };
}

type Field = 'intent' | 'enterprise' | 'deadline' | 'level' | 'incident type' | 'duty day' | 'stats period' | 'hazard number';

function score(c: Case, u: Understanding, names: Map<number, string>): Partial<Record<Field, boolean>> {
  const r: Partial<Record<Field, boolean>> = { intent: u.intent === c.intent };
  if (c.intent === 'hazard') {
    const [enterprise, deadline, level] = c.expect;
    const h = u.intent === 'hazard' ? u : undefined;
    const gotE = !h ? undefined : h.enterprise.kind === 'one' ? names.get(h.enterprise.id) : h.enterprise.kind === 'none' && h.unregisteredName ? `new:${h.unregisteredName}` : undefined;
    r.enterprise = gotE === enterprise;
    const gotD = !h ? undefined : !h.deadline ? 'default' : h.deadline.past ? 'past' : formatDate(h.deadline.at, TZ);
    r.deadline = gotD === deadline;
    r.level = (h?.level ?? 'general') === level;
  } else if (c.intent === 'incident') r['incident type'] = u.intent === 'incident' && u.type === c.expect[0];
  else if (c.intent === 'duty') r['duty day'] = u.intent === 'duty' && u.words.join(' ') === c.expect[0];
  else if (c.intent === 'stats') r['stats period'] = u.intent === 'stats' && (u.words.join(' ') || '-') === c.expect[0];
  else if (c.intent === 'done') r['hazard number'] = u.intent === 'done' && u.no === c.expect[0];
  return r;
}

const pct = (ok: number, n: number) => (n ? `${((100 * ok) / n).toFixed(1)}%` : '—');

async function main() {
  const corpus = readCorpus();
  const entries = registry();
  const names = new Map(entries.map((e) => [e.id, e.name]));

  const t0 = performance.now();
  const index = new EnterpriseIndex(entries);
  const buildMs = performance.now() - t0;
  const ctx = { now: NOW, tz: TZ, holidays: HOLIDAYS, index };

  const times: number[] = [];
  const tally = new Map<Field, { ok: number; n: number; dev: [number, number]; held: [number, number] }>();
  const misses: string[] = [];
  // Pass 0 warms up (JIT, regex compilation) and scores; passes 1…REPEAT are timed.
  for (let pass = 0; pass <= REPEAT; pass++) {
    for (const c of corpus) {
      const m = mentions(c.text);
      const s = performance.now();
      const u = understand(m.text, m.people, ctx);
      if (pass > 0) times.push(performance.now() - s);
      if (pass > 0) continue;
      for (const [field, ok] of Object.entries(score(c, u, names)) as [Field, boolean][]) {
        const t = tally.get(field) ?? { ok: 0, n: 0, dev: [0, 0], held: [0, 0] };
        t.n++;
        if (ok) t.ok++;
        const half = c.half === 'dev' ? t.dev : t.held;
        half[1]++;
        if (ok) half[0]++;
        tally.set(field, t);
        if (!ok) misses.push(`  [${c.half}] ${field}: ${c.text}  → ${describe(u, names)} (expected ${c.intent} ${c.expect.join(' | ')})`);
      }
    }
  }

  // Baseline: the naive per-message scan for the enterprise, on the same messages.
  const forms = entries.map((e) => ({ id: e.id, keys: keysOf(e).map(([k]) => k) }));
  const naive: number[] = [];
  const indexed: number[] = [];
  for (const c of corpus) {
    const t = normalize(mentions(c.text).text);
    let s = performance.now();
    naiveFind(t, forms);
    naive.push(performance.now() - s);
    s = performance.now();
    index.find(t);
    indexed.push(performance.now() - s);
  }

  const q = (xs: number[], p: number) => percentile(Float64Array.from(xs).sort(), p);
  console.log(`bench/understand: ${corpus.length} messages (${corpus.filter((c) => c.half === 'dev').length} dev / ${corpus.filter((c) => c.half === 'held-out').length} held-out), ${entries.length} enterprises, index built in ${buildMs.toFixed(0)} ms`);
  console.log('\nfield            all        dev        held-out   (n)');
  for (const [field, t] of tally) console.log(`${field.padEnd(16)} ${pct(t.ok, t.n).padEnd(10)} ${pct(...t.dev).padEnd(10)} ${pct(...t.held).padEnd(10)} (${t.n})`);
  console.log(`\nparse (understand, whole message): p50 ${q(times, 50).toFixed(3)} ms  p99 ${q(times, 99).toFixed(3)} ms  max ${Math.max(...times).toFixed(3)} ms  (${times.length} parses)`);
  const [ni50, ni99, nv50, nv99] = [q(indexed, 50), q(indexed, 99), q(naive, 50), q(naive, 99)];
  console.log(`enterprise lookup: index p50 ${ni50.toFixed(3)} ms p99 ${ni99.toFixed(3)} ms · baseline naive scan p50 ${nv50.toFixed(3)} ms p99 ${nv99.toFixed(3)} ms · ratio naive/index p50 ${(nv50 / ni50).toFixed(1)}x p99 ${(nv99 / ni99).toFixed(1)}x`);

  const answered = await answeredThroughRouter(corpus);
  console.log(`answered through the router (group, @bot, as 张伟): ${answered.ok}/${corpus.length} (${pct(answered.ok, corpus.length)})`);
  for (const m of answered.silent) console.log(`  no answer: ${m}`);

  if (misses.length) console.log(`\nmisses (${misses.length}):\n${misses.join('\n')}`);

  const goal = (name: string, ok: boolean) => console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}`);
  const rate = (f: Field) => {
    const t = tally.get(f)!;
    return t.ok / t.n;
  };
  console.log('');
  goal('intent ≥ 97%', rate('intent') >= 0.97);
  goal('enterprise ≥ 97%', rate('enterprise') >= 0.97);
  goal('deadline ≥ 97%', rate('deadline') >= 0.97);
  goal('level ≥ 99%', rate('level') >= 0.99);
  goal('p99 parse ≤ 5 ms', q(times, 99) <= 5);
  goal('100% answered', answered.ok === corpus.length);
}

function describe(u: Understanding, names: Map<number, string>): string {
  if (u.intent !== 'hazard') return `${u.intent} ${JSON.stringify({ ...u, intent: undefined })}`;
  const e = u.enterprise.kind === 'one' ? names.get(u.enterprise.id) : u.enterprise.kind === 'many' ? `many(${u.enterprise.ids.map((i) => names.get(i)).join(',')})` : `none${u.unregisteredName ? ` new:${u.unregisteredName}` : ''}`;
  return `hazard ${e} | ${u.deadline ? (u.deadline.past ? 'past' : formatDate(u.deadline.at, TZ)) : 'default'} | ${u.level} | ${u.description}`;
}

/** Every message as a group message that @-mentions the bot, through routeEvent on a seeded demo city. */
async function answeredThroughRouter(corpus: Case[]): Promise<{ ok: number; silent: string[] }> {
  const dir = mkdtempSync(join(os.tmpdir(), 'wk-bench-understand-'));
  try {
    const database = await openDatabase(`file:${join(dir, 'bench.db')}`);
    await migrateDatabase(database.db);
    const settings = makeSettings({ tz: TZ });
    await seedDemo(database.db, settings, NOW);
    const BOT = 'ou_bench_bot';
    const deps = { db: database.db, settings, log: silentLogger, registry: new CommandRegistry(commands), cardActions, botOpenId: BOT };
    let ok = 0;
    const silent: string[] = [];
    for (const [i, c] of corpus.entries()) {
      const m = mentions(c.text);
      const keys = m.people.map((_, k) => `@_user_${k + 2}`).join(' ');
      const ctx = await routeEvent(
        deps,
        {
          kind: 'message',
          eventId: `ev_${i}`,
          messageId: `om_bench_${i}`,
          chatId: 'oc_sandbox_hongmei',
          chatType: 'group',
          senderOpenId: 'ou_demo_zhangwei',
          messageType: 'text',
          text: `@_user_1 ${m.text} ${keys}`,
          imageKeys: [],
          mentions: [{ key: '@_user_1', openId: BOT, name: '安全值守助手' }, ...m.people.map((p, k) => ({ key: `@_user_${k + 2}`, openId: p.openId, name: p.name }))],
          createdAt: NOW.getTime(),
        },
        NOW,
      );
      if (ctx && ctx.messages.length > 0) ok++;
      else silent.push(c.text);
    }
    database.close();
    return { ok, silent };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
