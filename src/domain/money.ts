import type { Bi } from '../bi.ts';
// Money as people write it in chat and ledgers (`50000`, `5万元`, `1.05万`) ↔ integer fen (分),
// so sums are exact. Parsing is decimal string arithmetic: no floating point ever touches a fine.

const FEN_PER: Record<string, number> = { '': 100, 元: 100, 千: 100_000, 千元: 100_000, 万: 1_000_000, 万元: 1_000_000 };

/** Fines above this are almost certainly a typo (an extra 万); refuse rather than record 亿. */
export const MAX_FEN = 100_000_000 * 100; // 1 亿元

export type MoneyParse = { ok: true; fen: number } | ({ ok: false } & Bi);

/** True when the text looks like an amount at all (so a caller can tell an amount from a note word). */
export const looksLikeMoney = (text: string) => /^[¥￥]?\d[\d,]*(\.\d+)?(元|千元?|万元?)?$/.test(text.trim());

/**
 * Parses an amount: a number in 元, or with 元 / 千 / 万 / 万元 after it, an optional ¥ before it and
 * thousands commas (`50,000`). Returns fen, or a reason (Chinese and English) for a refusal.
 */
export function parseMoney(text: string): MoneyParse {
  const t = text.trim();
  const m = /^[¥￥]?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(元|千元?|万元?)?$/.exec(t);
  if (!m) return { ok: false, zh: `金额"${t}"无法识别，请写成 50000、5万 或 5万元`, en: `"${t}" is not an amount; write 50000, 5万 or 5万元` };
  const whole = m[1].replace(/,/g, '');
  const frac = m[2] ?? '';
  const perUnit = FEN_PER[m[3] ?? ''];
  // Digits after the point that still land on whole fen: 2 for 元, 5 for 千, 6 for 万.
  const places = String(perUnit).length - 1;
  if (frac.replace(/0+$/, '').length > places) {
    return { ok: false, zh: `金额"${t}"精确到分即可（小数位过多）`, en: `"${t}" is finer than one fen` };
  }
  if (whole.replace(/^0+/, '').length > 12) return tooLarge(t);
  const fracFen = frac ? Number(frac.padEnd(places, '0').slice(0, places)) : 0;
  const fen = Number(whole) * perUnit + fracFen;
  if (fen <= 0) return { ok: false, zh: `金额必须大于零（"${t}"）`, en: `the amount must be more than zero ("${t}")` };
  if (fen > MAX_FEN) return tooLarge(t);
  return { ok: true, fen };
}

const tooLarge = (t: string): MoneyParse => ({
  ok: false,
  zh: `金额"${t}"超过1亿元，请核对`,
  en: `"${t}" is more than 100 million yuan; please check it`,
});

/** `1050000` fen → `10,500元`; fractions of a yuan keep two places: `10,500.50元`. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100).toLocaleString('en-US');
  const cents = abs % 100;
  return `${sign}${yuan}${cents ? '.' + String(cents).padStart(2, '0') : ''}元`;
}

/** `1050000` fen → `1.05万元`, as leaders report totals (经济处罚105万元). */
export function formatWan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 1_000_000);
  const rest = String(abs % 1_000_000).padStart(6, '0').replace(/0+$/, '');
  return `${sign}${whole}${rest ? '.' + rest : ''}万元`;
}

/**
 * 整改资金 as a ledger and the `资金:` option write it: a bare number is 万元 (the ledger's unit,
 * `1.5` = 15,000 元); `5000元`, `1.2万` and `1.2万元` say their unit. Zero is an answer (no money needed).
 */
export function parseFunds(text: string): MoneyParse {
  const t = text.trim();
  if (/^0+(\.0+)?(元|万元?)?$/.test(t)) return { ok: true, fen: 0 };
  if (/^\d+(\.\d+)?$/.test(t)) return parseMoney(`${t}万`);
  return parseMoney(t);
}

/** Fen → 万元 as a plain number for a ledger cell (`15000000` → 15, `1500000` → 1.5). */
export const fundsWanNumber = (fen: number) => Number(formatWan(fen).replace('万元', ''));
