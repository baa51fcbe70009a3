// 隐患级别 in a sentence: 重大 / 重大隐患 / 重大事故隐患 → major; anything else is general.
// 重大危险源 is a kind of installation (a registered major hazard source), not the level of this
// hazard, and 非重大 / 不是重大 say the opposite.

import type { Span } from './text.ts';

export interface LevelFound {
  level: 'general' | 'major';
  /** The words that said it, for the description to leave out. */
  spans: Span[];
}

const MAJOR = /(?:级别\s*[:]?\s*)?重大(?:事故)?(?:隐患)?(?!危险源)/g;
const NOT_MAJOR = /(?:非|不是|不属于|不算)\s*重大/;
const GENERAL = /(?:级别\s*[:]?\s*)?一般(?:事故)?隐患|级别\s*[:]?\s*一般|\b(?:major)\b/gi;

export function findLevel(text: string): LevelFound {
  const spans: Span[] = [];
  if (NOT_MAJOR.test(text)) return { level: 'general', spans };
  let major = false;
  for (const m of text.matchAll(MAJOR)) {
    major = true;
    spans.push({ start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(GENERAL)) {
    if (/major/i.test(m[0])) major = true;
    spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return { level: major ? 'major' : 'general', spans };
}
