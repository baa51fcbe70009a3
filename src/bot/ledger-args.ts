// The 五落实 and 来源 options people add to /report and /dispatch: `措施:加装防护栏 资金:1.5
// 预案:设置警戒区 来源:专家` (one word each, as every option). A bad 资金 or 来源 is refused before
// anything is planned.

import { BotError } from './errors.ts';
import { takeOption } from './hazard-args.ts';
import { parseHazardSource, SOURCE_HINT, type HazardSource } from '../domain/hazard-sources.ts';
import { parseFunds } from '../domain/money.ts';
import type { LedgerFields } from '../domain/hazards.ts';

export const MEASURES_KEYS = ['措施', '整改措施', 'measures'] as const;
export const FUNDS_KEYS = ['资金', '整改资金', 'funds'] as const;
export const CONTINGENCY_KEYS = ['预案', '应急预案', '防范措施', 'contingency'] as const;
export const SOURCE_KEYS = ['来源', '隐患来源', 'source'] as const;

/** Words that mark a report as found and fixed on the spot. */
export const ON_THE_SPOT_WORDS = ['已整改', '立查立改'];

/** Reads (and removes) 措施/资金/预案 from the options; undefined fields were not given. */
export function takeLedger(options: Record<string, string>): LedgerFields {
  const out: LedgerFields = {};
  const measures = takeOption(options, MEASURES_KEYS);
  if (measures !== undefined) out.measures = measures;
  const contingency = takeOption(options, CONTINGENCY_KEYS);
  if (contingency !== undefined) out.contingency = contingency;
  const funds = takeOption(options, FUNDS_KEYS);
  if (funds !== undefined) out.fundsFen = fundsFen(funds);
  return out;
}

export function fundsFen(text: string): number | null {
  if (!text.trim()) return null;
  const m = parseFunds(text);
  if (!m.ok) throw new BotError(`整改资金：${m.zh}（不写单位时按万元计）。`, `Funds: ${m.en} (a bare number is 万元).`);
  return m.fen;
}

export function takeSource(options: Record<string, string>): HazardSource | undefined {
  const text = takeOption(options, SOURCE_KEYS);
  if (text === undefined) return undefined;
  const s = parseHazardSource(text);
  if (!s) throw new BotError(`无法识别隐患来源「${text}」，可用：${SOURCE_HINT}。`, `Unknown source "${text}"; use one of: ${SOURCE_HINT}.`);
  return s;
}
