// Finding the enterprise a sentence names, among thousands. Built once per registry version and
// then read per message: every name people use for an enterprise is a key — the registered name,
// the name without its township prefix or legal suffix (梅河化工 for 梅河化工有限公司), its aliases,
// its pinyin initials (mhhg) — and one wrong character is forgiven in keys of four or more.
// The longest, most specific key found in the text wins; equally good keys of different
// enterprises are a tie for the person to settle (the pick-one card).

import { pinyin } from 'pinyin-pro';
import type { Span } from './text.ts';

export interface EnterpriseEntry {
  id: number;
  name: string;
  township: string | null;
  /** `|`-joined, as stored. */
  aliases: string | null;
}

export type MatchHow = 'name' | 'alias' | 'short' | 'prefix' | 'pinyin' | 'typo';

export type EnterpriseFind =
  | { kind: 'one'; id: number; span: Span; how: MatchHow }
  | { kind: 'many'; ids: number[]; span: Span; how: MatchHow }
  | { kind: 'none' };

/** More specific first: how much a key of this kind says about which enterprise is meant. */
const RANK: Record<MatchHow, number> = { name: 6, alias: 5, short: 4, prefix: 3, pinyin: 2, typo: 1 };

/** Legal forms and generic endings people leave out (longest first). */
const LEGAL_SUFFIXES = ['股份有限公司', '有限责任公司', '集团有限公司', '集团股份有限公司', '有限公司', '分公司', '集团', '公司', '总厂', '厂'];
const TOWNSHIP_TAIL = /(镇|乡|街道|县|区|村)$/;

interface Hit {
  id: number;
  how: MatchHow;
}

const lower = (s: string) => s.toLowerCase();

export class EnterpriseIndex {
  private readonly exact = new Map<string, Hit[]>();
  /** For the scan: the key lengths that start with a character, longest first. */
  private readonly lengthsByFirst = new Map<string, number[]>();
  private readonly pinyinKeys = new Map<string, Hit[]>();
  /**
   * Keys of 4+ characters by their first two and by their last two characters, for one-typo
   * matching: one wrong character leaves one end of the key intact.
   */
  private readonly byHead = new Map<string, { key: string; hit: Hit }[]>();
  private readonly byTail = new Map<string, { key: string; hit: Hit }[]>();
  private readonly names = new Map<number, string>();
  readonly size: number;

  constructor(entries: readonly EnterpriseEntry[]) {
    this.size = entries.length;
    for (const e of entries) this.names.set(e.id, e.name);
    const lengths = new Map<string, Set<number>>();
    for (const e of entries) {
      for (const [key, how] of keysOf(e)) {
        if (!this.add(this.exact, key, { id: e.id, how })) continue;
        const first = key[0];
        let set = lengths.get(first);
        if (!set) lengths.set(first, (set = new Set()));
        set.add(key.length);
        if (key.length >= 4 && how !== 'pinyin' && how !== 'prefix') {
          for (const [map, end] of [[this.byHead, key.slice(0, 2)], [this.byTail, key.slice(-2)]] as const) {
            let list = map.get(end);
            if (!list) map.set(end, (list = []));
            list.push({ key, hit: { id: e.id, how: 'typo' } });
          }
        }
      }
      for (const key of initialsOf(e)) this.add(this.pinyinKeys, key, { id: e.id, how: 'pinyin' });
    }
    for (const [first, set] of lengths) this.lengthsByFirst.set(first, [...set].sort((a, b) => b - a));
  }

  /** The registered name of an enterprise the index holds. */
  nameOf(id: number): string | undefined {
    return this.names.get(id);
  }

  /** Adds a hit unless the same enterprise already has this key (keeping its most specific kind). */
  private add(map: Map<string, Hit[]>, key: string, hit: Hit): boolean {
    const list = map.get(key);
    if (!list) {
      map.set(key, [hit]);
      return true;
    }
    const same = list.find((h) => h.id === hit.id);
    if (same) {
      if (RANK[hit.how] > RANK[same.how]) same.how = hit.how;
      return false;
    }
    list.push(hit);
    return true;
  }

  /** The enterprise the (normalized) text names. */
  find(text: string): EnterpriseFind {
    const t = lower(text);
    const exact = this.scanExact(t);
    if (exact) return exact;
    const py = this.scanPinyin(t);
    if (py) return py;
    return this.scanTypo(t) ?? { kind: 'none' };
  }

  private scanExact(t: string): EnterpriseFind | undefined {
    let best: { hits: Hit[]; start: number; len: number; rank: number } | undefined;
    for (let i = 0; i < t.length; i++) {
      const lens = this.lengthsByFirst.get(t[i]);
      if (!lens) continue;
      for (const len of lens) {
        if (best && len < best.len) break;
        if (i + len > t.length) continue;
        const hits = this.exact.get(t.slice(i, i + len));
        if (!hits) continue;
        const rank = Math.max(...hits.map((h) => RANK[h.how]));
        if (!best || len > best.len || (len === best.len && rank > best.rank)) best = { hits, start: i, len, rank };
        else if (len === best.len && rank === best.rank && best.start !== i) best = { hits: merge(best.hits, hits), start: best.start, len, rank };
        break;
      }
    }
    return best && result(best.hits.filter((h) => RANK[h.how] === best!.rank), best.start, best.len);
  }

  private scanPinyin(t: string): EnterpriseFind | undefined {
    const re = /[a-z]{3,}/g;
    for (let m = re.exec(t); m; m = re.exec(t)) {
      const hits = this.pinyinKeys.get(m[0]);
      if (hits) return result(hits, m.index, m[0].length);
    }
    return undefined;
  }

  private scanTypo(t: string): EnterpriseFind | undefined {
    // The longest key one character away from the text; the earliest such place when several.
    let best: { len: number; start: number; hits: Map<number, Hit> } | undefined;
    const consider = (key: string, hit: Hit, start: number) => {
      if (start < 0 || start + key.length > t.length || !oneApartAt(key, t, start)) return;
      if (!best || key.length > best.len || (key.length === best.len && start < best.start)) best = { len: key.length, start, hits: new Map() };
      if (key.length === best.len && start === best.start) best.hits.set(hit.id, hit);
    };
    for (let i = 0; i + 2 <= t.length; i++) {
      const two = t.slice(i, i + 2);
      for (const c of this.byHead.get(two) ?? []) consider(c.key, c.hit, i);
      for (const c of this.byTail.get(two) ?? []) consider(c.key, c.hit, i + 2 - c.key.length);
    }
    if (!best) return undefined;
    // One wrong character that fits several enterprises is more likely another name altogether
    // (新丰五金厂 against 瑞丰五金厂 and 汇丰五金厂): no match, rather than a choice of wrong ones.
    const found = best as { len: number; start: number; hits: Map<number, Hit> };
    return found.hits.size === 1 ? result([...found.hits.values()], found.start, found.len) : undefined;
  }
}

function merge(a: Hit[], b: Hit[]): Hit[] {
  const out = [...a];
  for (const h of b) if (!out.some((x) => x.id === h.id)) out.push(h);
  return out;
}

function result(hits: Hit[], start: number, len: number): EnterpriseFind {
  const ids = [...new Set(hits.map((h) => h.id))];
  const how = hits[0].how;
  const span = { start, end: start + len };
  return ids.length === 1 ? { kind: 'one', id: ids[0], span, how } : { kind: 'many', ids, span, how };
}

/** The key against the text at `start`: exactly one character different. */
function oneApartAt(key: string, t: string, start: number): boolean {
  let diff = 0;
  for (let i = 0; i < key.length; i++) if (key[i] !== t[start + i] && ++diff > 1) return false;
  return diff === 1;
}

/** The name without a legal suffix (梅河化工有限公司 → 梅河化工), or undefined when it has none. */
export function withoutSuffix(name: string): string | undefined {
  for (const s of LEGAL_SUFFIXES) if (name.endsWith(s) && name.length > s.length) return name.slice(0, -s.length);
  return undefined;
}

/** The name without the township it starts with (红梅镇梅河化工 → 梅河化工; also 红梅梅河化工). */
function withoutTownship(name: string, township: string | null): string | undefined {
  if (!township) return undefined;
  const base = township.replace(TOWNSHIP_TAIL, '');
  for (const p of [township, base.length >= 2 ? base : '']) {
    // What is left must still name something on its own: 加油站 alone names every petrol station.
    if (p && name.startsWith(p) && name.length - p.length >= 4) return name.slice(p.length);
  }
  return undefined;
}

/** Every key an enterprise is known by, lower case, with how it was derived. */
export function keysOf(e: EnterpriseEntry): [string, MatchHow][] {
  const name = lower(e.name.normalize('NFKC').trim());
  const out: [string, MatchHow][] = [[name, 'name']];
  const township = e.township ? lower(e.township.normalize('NFKC').trim()) : null;
  const shorts = new Set<string>();
  const local = withoutTownship(name, township);
  for (const n of [name, local]) {
    if (!n) continue;
    if (n !== name) shorts.add(n);
    const bare = withoutSuffix(n);
    if (bare) shorts.add(bare);
  }
  for (const s of shorts) if (s.length >= 3) out.push([s, 'short']);
  // 红星烟花 for 红星烟花爆竹有限公司: the short name's leading four characters or more, when the
  // short name is longer (a tie with another enterprise's prefix is for the person to settle).
  for (const s of shorts) for (let n = 4; n < s.length; n++) out.push([s.slice(0, n), 'prefix']);
  for (const a of (e.aliases ?? '').split('|')) {
    const alias = lower(a.normalize('NFKC').trim());
    if (alias.length >= 2) out.push([alias, 'alias']);
  }
  return out;
}

/**
 * Initials by name, kept across rebuilds: pinyin is most of the cost of building the index, and
 * a registry changes a few names at a time. Bounded so a long-running process cannot grow it forever.
 */
const initialsCache = new Map<string, string[]>();
const INITIALS_CACHE_MAX = 100_000;

/** Pinyin initials of the name and of its short forms (mhhg, mhhgyxgs), three letters or more. */
function initialsOf(e: EnterpriseEntry): string[] {
  const name = e.name.normalize('NFKC').trim();
  const cached = initialsCache.get(name);
  if (cached) return cached;
  const forms = new Set([name, withoutSuffix(name) ?? name]);
  const out = new Set<string>();
  for (const f of forms) {
    if (!/[\u4e00-\u9fff]/.test(f)) continue;
    const initials = lower(pinyin(f, { pattern: 'first', toneType: 'none', type: 'array' }).join('')).replace(/[^a-z]/g, '');
    if (initials.length >= 3) out.add(initials);
    // The initials of the short name's leading words too (hxyh for 红星烟花爆竹), as with the prefix keys.
    if (f !== name) for (let n = 4; n < initials.length; n++) out.add(initials.slice(0, n));
  }
  if (initialsCache.size >= INITIALS_CACHE_MAX) initialsCache.clear();
  const list = [...out];
  initialsCache.set(name, list);
  return list;
}
