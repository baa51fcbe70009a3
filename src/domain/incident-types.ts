// 险情类型, 应急队伍类型 and 级别. Commands and imports accept the Chinese label or the code.

import type { Bi } from '../bi.ts';
import { isOwnKey, own } from '../own.ts';

export const INCIDENT_TYPES = {
  flood: { zh: '防汛', en: 'flood' },
  forest_fire: { zh: '森林防火', en: 'forest fire' },
  earthquake: { zh: '地震', en: 'earthquake' },
  geological: { zh: '地质灾害', en: 'geological hazard' },
  accident: { zh: '生产安全事故', en: 'work-safety accident' },
  fire: { zh: '火灾', en: 'fire' },
  hazardous_chemicals: { zh: '危化', en: 'hazardous chemicals' },
  mine: { zh: '矿山事故', en: 'mine accident' },
  other: { zh: '其他', en: 'other' },
} as const satisfies Record<string, Bi>;

export type IncidentType = keyof typeof INCIDENT_TYPES;
export const INCIDENT_TYPE_CODES = Object.keys(INCIDENT_TYPES) as IncidentType[];

const INCIDENT_ALIASES: Record<string, IncidentType> = {
  防汛抗旱: 'flood',
  汛情: 'flood',
  洪水: 'flood',
  洪涝: 'flood',
  内涝: 'flood',
  森林火灾: 'forest_fire',
  山火: 'forest_fire',
  林火: 'forest_fire',
  抗震救灾: 'earthquake',
  滑坡: 'geological',
  泥石流: 'geological',
  地灾: 'geological',
  安全事故: 'accident',
  安全生产事故: 'accident',
  事故: 'accident',
  火警: 'fire',
  危险化学品: 'hazardous_chemicals',
  危化品: 'hazardous_chemicals',
  危化事故: 'hazardous_chemicals',
  矿山: 'mine',
  煤矿: 'mine',
  其它: 'other',
};

export const TEAM_TYPES = {
  flood: { zh: '防汛抢险', en: 'flood rescue' },
  forest_fire: { zh: '森林消防', en: 'forest firefighting' },
  earthquake: { zh: '地震救援', en: 'earthquake rescue' },
  hazardous_chemicals: { zh: '危化救援', en: 'hazmat rescue' },
  mine_rescue: { zh: '矿山救护', en: 'mine rescue' },
  fire: { zh: '消防救援', en: 'fire rescue' },
  medical: { zh: '医疗救护', en: 'medical' },
  general: { zh: '综合应急', en: 'general' },
} as const satisfies Record<string, Bi>;

export type TeamType = keyof typeof TEAM_TYPES;
export const TEAM_TYPE_CODES = Object.keys(TEAM_TYPES) as TeamType[];

const TEAM_ALIASES: Record<string, TeamType> = {
  防汛: 'flood',
  抢险: 'flood',
  防汛抢险队: 'flood',
  森林防火: 'forest_fire',
  森林灭火: 'forest_fire',
  扑火: 'forest_fire',
  地震: 'earthquake',
  危化: 'hazardous_chemicals',
  危险化学品: 'hazardous_chemicals',
  矿山: 'mine_rescue',
  矿山救援: 'mine_rescue',
  消防: 'fire',
  医疗: 'medical',
  医疗救援: 'medical',
  急救: 'medical',
  综合: 'general',
  综合救援: 'general',
  通用: 'general',
};

/** Which teams suit which incident: the 调度队伍 choice offers these types (general always). */
export const SUITED_TEAMS: Record<IncidentType, readonly TeamType[]> = {
  flood: ['flood', 'general', 'medical'],
  forest_fire: ['forest_fire', 'fire', 'general', 'medical'],
  earthquake: ['earthquake', 'fire', 'general', 'medical'],
  geological: ['earthquake', 'flood', 'general', 'medical'],
  accident: ['fire', 'hazardous_chemicals', 'mine_rescue', 'general', 'medical'],
  fire: ['fire', 'general', 'medical'],
  hazardous_chemicals: ['hazardous_chemicals', 'fire', 'general', 'medical'],
  mine: ['mine_rescue', 'general', 'medical'],
  other: TEAM_TYPE_CODES,
};

export const SEVERITIES = {
  general: { zh: '一般', en: 'general' },
  larger: { zh: '较大', en: 'larger' },
  major: { zh: '重大', en: 'major' },
  especially_major: { zh: '特别重大', en: 'especially major' },
} as const satisfies Record<string, Bi>;

export type Severity = keyof typeof SEVERITIES;

function parseWith<T extends string>(labels: Record<T, Bi>, aliases: Record<string, T>, text: string): T | undefined {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (isOwnKey(labels, lower)) return lower;
  for (const code of Object.keys(labels) as T[]) if (labels[code].zh === t) return code;
  return own(aliases, t);
}

export const parseIncidentType = (text: string) => parseWith<IncidentType>(INCIDENT_TYPES, INCIDENT_ALIASES, text);
export const parseTeamType = (text: string) => parseWith<TeamType>(TEAM_TYPES, TEAM_ALIASES, text);
/** 一般|较大|重大|特别重大, or the codes (also 一般级 …, and Ⅳ/Ⅲ/Ⅱ/Ⅰ级 as the plans number them). */
export const parseSeverity = (text: string) =>
  parseWith<Severity>(SEVERITIES, { 一般级: 'general', 较大级: 'larger', 重大级: 'major', 特别重大级: 'especially_major', Ⅳ级: 'general', Ⅲ级: 'larger', Ⅱ级: 'major', Ⅰ级: 'especially_major' }, text);

const fallback = (code: string): Bi => ({ zh: code, en: code });
export const incidentTypeLabel = (code: string): Bi => own<Bi>(INCIDENT_TYPES, code) ?? fallback(code);
export const teamTypeLabel = (code: string): Bi => own<Bi>(TEAM_TYPES, code) ?? fallback(code);
export const severityLabel = (code: string): Bi => own<Bi>(SEVERITIES, code) ?? fallback(code);
export const suitedTeamTypes = (incidentType: string): readonly TeamType[] => own(SUITED_TEAMS, incidentType) ?? TEAM_TYPE_CODES;

export const INCIDENT_TYPE_HINT = INCIDENT_TYPE_CODES.map((c) => `${INCIDENT_TYPES[c].zh}/${c}`).join('、');
export const TEAM_TYPE_HINT = TEAM_TYPE_CODES.map((c) => `${TEAM_TYPES[c].zh}/${c}`).join(', ');
