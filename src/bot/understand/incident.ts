// 险情 in a sentence: its type from the existing incident types (山火/林火 → 森林防火, 着火/火灾 →
// 火灾, 燃气/泄漏 → 生产安全事故, chemicals → 危化, 洪水/内涝/管涌/决堤 → 防汛, 地震 …), where it is
// (the words before what happened), and its 级别 when said.

import type { IncidentType, Severity } from '../../domain/incident-types.ts';

/** Words that something is happening now, strongest first within each type. */
const TYPE_WORDS: [RegExp, IncidentType][] = [
  [/山火|林火|森林火灾|森林起火|山林起火|山林着火|烧山|林区起火|林区着火/, 'forest_fire'],
  [/地震|震感/, 'earthquake'],
  [/洪水|洪涝|内涝|管涌|决堤|溃堤|漫堤|溃坝|渗漏(?=.*堤)|堤.{0,4}(渗水|险情)|水位暴涨|山洪|被淹|淹了|积水/, 'flood'],
  [/滑坡|泥石流|山体|塌方|崩塌|地面塌陷|地陷/, 'geological'],
  [/冒顶|透水|瓦斯|井下|矿井/, 'mine'],
  [/液氯|氯气|液氨|氨气|硫化氢|危化品|化学品|储罐.{0,4}(泄漏|泄露|起火|着火|爆炸)|槽罐车/, 'hazardous_chemicals'],
  [/着火|起火|失火|火灾|火警|大火|冒烟|燃烧|烧起来|fire/i, 'fire'],
  [/燃气|煤气|天然气|漏气|泄漏|泄露|爆炸|坍塌|垮塌|倒塌|伤亡|受伤|死亡|中毒|窒息|触电|被困|事故|gas leak/i, 'accident'],
];

/** Verbs that an emergency is under way; the place is usually just before them. */
export const EVENT_VERB = /发生了?|出现了?|突发|正在|爆发/;

export function incidentType(text: string): IncidentType | undefined {
  for (const [re, type] of TYPE_WORDS) if (re.test(text)) return type;
  return undefined;
}

/** How strongly the text says an emergency is happening (0 = not at all). */
export function emergencyScore(text: string): number {
  let n = 0;
  for (const [re] of TYPE_WORDS) if (re.test(text)) n += 1;
  if (EVENT_VERB.test(text)) n += 1;
  if (/险情|紧急|求援|救援|报警|人员被困|伤亡|火势|蔓延|面积约|已疏散|急!|!!|请求支援/.test(text)) n += 1;
  return n;
}

export function incidentSeverity(text: string): Severity {
  if (/特别重大|特大/.test(text)) return 'especially_major';
  if (/(?<!较)重大(?!隐患)/.test(text)) return 'major';
  if (/较大/.test(text)) return 'larger';
  return 'general';
}

const FIRST_EVENT_WORD = new RegExp(
  [EVENT_VERB.source, ...TYPE_WORDS.map(([re]) => re.source)].join('|'),
  'i',
);

/** The place: the words before the first thing that happened (柳溪乡北山发生山火 → 柳溪乡北山). */
export function incidentLocation(text: string): string | undefined {
  const m = FIRST_EVENT_WORD.exec(text);
  const before = (m ? text.slice(0, m.index) : '').replace(/^(紧急|报告|急|突发)[!:,，。\s]*/g, '');
  const place = before.replace(/^[在于]/, '').replace(/[,，。.!！:：\s、]+$/g, '').replace(/^[,，。.!！:：\s、]+/g, '').trim();
  if (place.length >= 2 && place.length <= 40) return place;
  const at = /在(.{2,20}?)(?:发生|出现|有)/.exec(text);
  return at ? at[1] : undefined;
}
