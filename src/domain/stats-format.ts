// How leaders write the figures: a rectification rate to one decimal and fines in 万元 to at most
// two decimals, both rounded half up in integer arithmetic so no float ever decides a digit.

/** rectified / found × 100, one decimal, half up: `63.4%`; nothing found → `—`. */
export function rectificationRate(rectified: number, found: number): string {
  if (found <= 0) return '—';
  const tenths = Math.floor((2000 * rectified + found) / (2 * found));
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
}

const FEN_PER_HUNDREDTH_WAN = 10_000; // 0.01 万元 = 100 元 = 10,000 分

/**
 * Fen → 万元 without the unit: ≤ 2 decimals, half up, trailing zeros dropped (105000000 → `105`,
 * 1050000 → `1.05`, 1234500 → `1.23`). A non-zero fine under 50 元 would round to 0: `<0.01`.
 */
export function fineWan(fen: number): string {
  if (fen === 0) return '0';
  const hundredths = Math.floor((2 * fen + FEN_PER_HUNDREDTH_WAN) / (2 * FEN_PER_HUNDREDTH_WAN));
  if (hundredths === 0) return '<0.01';
  const frac = String(hundredths % 100).padStart(2, '0').replace(/0+$/, '');
  return `${Math.floor(hundredths / 100)}${frac ? `.${frac}` : ''}`;
}

/** For sentences: `105万元`; a fine that would show as <0.01万元 is written in 元 (`40元`). */
export function finePhrase(fen: number): string {
  const w = fineWan(fen);
  if (w !== '<0.01') return `${w}万元`;
  const yuan = Math.floor(fen / 100);
  const cents = fen % 100;
  return `${yuan}${cents ? `.${String(cents).padStart(2, '0').replace(/0+$/, '')}` : ''}元`;
}
