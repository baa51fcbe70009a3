// Message text as the understanding reads it: full-width letters, digits and punctuation folded to
// ASCII (NFKC: ，→, ：→: ３→3), runs of spaces made one, characters typed apart joined, and Chinese
// numerals read as numbers.

/** Three or more Chinese characters typed one by one with spaces between (梅 河 化 工). */
const SPACED_HANZI = /(?<![\u4e00-\u9fff])[\u4e00-\u9fff](?: [\u4e00-\u9fff](?![\u4e00-\u9fff])){2,}/g;

/** NFKC-folded, single-spaced, trimmed, 梅 河 化 工 read as 梅河化工. Everything downstream works on this form. */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(SPACED_HANZI, (run) => run.replace(/ /g, ''));
}

const DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 俩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNIT: Record<string, number> = { 十: 10, 百: 100 };

/** A regex source for a number as people write it: 3, 15, 三, 两, 十五, 二十, 一百. */
export const NUMBER = '[0-9]{1,3}|[零〇一二两俩三四五六七八九十百]{1,4}';

/** 3 → 3, 十五 → 15, 二十 → 20, 两 → 2, 一百零五 → 105; undefined for anything else. */
export function readNumber(s: string): number | undefined {
  if (/^[0-9]+$/.test(s)) return Number(s);
  let total = 0;
  let digit: number | undefined;
  for (const ch of s) {
    if (ch in DIGIT) {
      if (digit !== undefined && digit !== 0) return undefined; // 三五 is not a number here
      digit = DIGIT[ch];
    } else if (ch in UNIT) {
      total += (digit ?? 1) * UNIT[ch];
      digit = undefined;
    } else return undefined;
  }
  return total + (digit ?? 0);
}

/** A span of the normalized text a reader recognised, so the description can leave it out. */
export interface Span {
  start: number;
  end: number;
}

/** The text with the spans cut out (each replaced by a space so words either side stay apart). */
export function without(text: string, spans: Span[]): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) continue;
    out += text.slice(at, s.start) + ' ';
    at = s.end;
  }
  return out + text.slice(at);
}
