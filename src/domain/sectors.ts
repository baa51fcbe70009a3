import { isOwnKey, own } from '../own.ts';

// 行业. Commands and imports accept the Chinese label or the code.
export const SECTORS = {
  mining: '矿山',
  hazardous_chemicals: '危化',
  fireworks: '烟花爆竹',
  construction: '建筑施工',
  road_traffic: '道路交通',
  city_gas: '城市燃气',
  special_equipment: '特种设备',
  fire_safety: '消防',
  other: '其他',
} as const;

export type Sector = keyof typeof SECTORS;
export const SECTOR_CODES = Object.keys(SECTORS) as Sector[];

/** Longer everyday names people type, mapped to the sector. */
const ALIASES: Record<string, Sector> = {
  危险化学品: 'hazardous_chemicals',
  危化品: 'hazardous_chemicals',
  建筑: 'construction',
  交通: 'road_traffic',
  燃气: 'city_gas',
  消防安全: 'fire_safety',
  非煤矿山: 'mining',
  煤矿: 'mining',
};

export function parseSector(text: string): Sector | undefined {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (isOwnKey(SECTORS, lower)) return lower;
  for (const code of SECTOR_CODES) if (SECTORS[code] === t) return code;
  return own(ALIASES, t);
}

export const sectorLabel = (code: string): string => own(SECTORS, code) ?? code;

export const SECTOR_EN: Record<Sector, string> = {
  mining: 'mining',
  hazardous_chemicals: 'hazardous chemicals',
  fireworks: 'fireworks',
  construction: 'construction',
  road_traffic: 'road traffic',
  city_gas: 'city gas',
  special_equipment: 'special equipment',
  fire_safety: 'fire safety',
  other: 'other',
};
