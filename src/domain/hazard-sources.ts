// 隐患来源: how a hazard came to light. Stored as codes; the labels are what ledgers and people write.
// The seed report gives expert rounds (专家查隐患) separately, so statistics break hazards down by these.

import { own } from '../own.ts';

export const HAZARD_SOURCES = ['inspection', 'expert', 'self_check', 'covert', 'tip', 'other'] as const;
export type HazardSource = (typeof HAZARD_SOURCES)[number];

export const SOURCE_LABELS: Record<HazardSource, { zh: string; en: string }> = {
  inspection: { zh: '检查发现', en: 'inspection' },
  expert: { zh: '专家查隐患', en: 'expert review' },
  self_check: { zh: '企业自查', en: 'self-check' },
  covert: { zh: '暗查暗访', en: 'covert visit' },
  tip: { zh: '群众举报', en: 'public tip' },
  other: { zh: '其他', en: 'other' },
};

// Short forms people type after 来源: (专家, 自查, 暗查, 举报, 12350).
const EXTRA: Record<string, HazardSource> = {
  检查: 'inspection', 日常检查: 'inspection', 专家: 'expert', 专家检查: 'expert', 自查: 'self_check', 企业自查自报: 'self_check',
  暗查: 'covert', 暗访: 'covert', 举报: 'tip', 12350: 'tip', 群众举报: 'tip', 其它: 'other',
};

/** A source as written (code, label or short form) → its code. */
export function parseHazardSource(text: string): HazardSource | undefined {
  const t = text.trim();
  const lower = t.toLowerCase();
  for (const s of HAZARD_SOURCES) if (lower === s || t === SOURCE_LABELS[s].zh) return s;
  return own(EXTRA, t);
}

export const sourceLabel = (code: string) => own(SOURCE_LABELS, code) ?? { zh: code, en: code };
export const SOURCE_HINT = HAZARD_SOURCES.map((s) => `${SOURCE_LABELS[s].zh}/${s}`).join(', ');
