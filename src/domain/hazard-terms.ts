import type { Bi } from '../bi.ts';
// The words for a hazard's level and status, as the ledgers and the people write them.
// Codes are stored; the Chinese labels are what people read and may type.

import { own } from '../own.ts';

export const HAZARD_LEVELS = ['general', 'major'] as const;
export type HazardLevel = (typeof HAZARD_LEVELS)[number];
export const LEVEL_LABELS: Record<HazardLevel, Bi> = {
  general: { zh: '一般', en: 'general' },
  major: { zh: '重大', en: 'major' },
};

export const HAZARD_STATUSES = ['reported', 'dispatched', 'rectified', 'closed'] as const;
export type HazardStatus = (typeof HAZARD_STATUSES)[number];
export const STATUS_LABELS: Record<HazardStatus, Bi> = {
  reported: { zh: '待派单', en: 'awaiting dispatch' },
  dispatched: { zh: '整改中', en: 'being rectified' },
  rectified: { zh: '待复查', en: 'awaiting verification' },
  closed: { zh: '已销号', en: 'closed' },
};

const byWord = <K extends string>(codes: readonly K[], labels: Record<K, { zh: string }>, extra: Record<string, K> = {}) =>
  (text: string): K | undefined => {
    const t = text.trim();
    const lower = t.toLowerCase();
    for (const code of codes) if (lower === code || t === labels[code].zh) return code;
    return own(extra, t);
  };

export const parseHazardLevel = byWord(HAZARD_LEVELS, LEVEL_LABELS, { 一般隐患: 'general', 重大隐患: 'major' });
export const parseHazardStatus = byWord(HAZARD_STATUSES, STATUS_LABELS, { 销号: 'closed', 已整改: 'rectified' });

export const levelLabel = (code: string) => own(LEVEL_LABELS, code) ?? { zh: code, en: code };
export const statusLabel = (code: string) => own(STATUS_LABELS, code) ?? { zh: code, en: code };
