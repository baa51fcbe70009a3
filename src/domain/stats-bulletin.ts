// The paragraph a leader pastes into a report, in the source article's words:
// "累计排查生产经营单位1073户次，排查事故隐患612条，已整改388条，下达执法文书309份，停产整顿企业2户，
//  查封企业2户，约谈企业负责人38人，因消防安全拘留2人，经济处罚105万元" and, for covert visits,
// "对25户企业进行暗查暗访，检查出安全隐患60条，已全部整改".
// It opens with the period (2026年11月，) and, for an inspector, their township; figures that are
// zero are left out; the covert sentence follows the main one (introduced by 其中 when it is part of
// the inspections counted there). Detentions carry no reason in our records, so "拘留N人".

import type { Stats } from './stats.ts';
import { scopeName } from './stats-scope.ts';
import { finePhrase } from './stats-format.ts';

export function bulletin(s: Stats): string {
  const t = s.total;
  const main: string[] = [];
  if (t.inspections) main.push(`累计排查生产经营单位${t.inspections}户次`);
  if (t.found) main.push(`排查事故隐患${t.found}条`);
  if (t.rectified) main.push(`已整改${t.rectified}条`);
  if (t.documents) main.push(`下达执法文书${t.documents}份`);
  if (t.suspensions) main.push(`停产整顿企业${t.suspensions}户`);
  if (t.seals) main.push(`查封企业${t.seals}户`);
  if (t.interviews) main.push(`约谈企业负责人${t.interviews}人`);
  if (t.detentions) main.push(`拘留${t.detentions}人`);
  if (t.fineFen) main.push(`经济处罚${finePhrase(t.fineFen)}`);

  const covert: string[] = [];
  if (t.covertEnterprises) {
    covert.push(`对${t.covertEnterprises}户企业进行暗查暗访`);
    const c = s.covertHazards;
    if (c.found) {
      covert.push(`检查出安全隐患${c.found}条`);
      if (c.rectified === c.found) covert.push('已全部整改');
      else if (c.rectified) covert.push(`已整改${c.rectified}条`);
    }
  }

  const opening = `${s.period.phrase}，${scopeName(s.scope) ?? ''}`;
  if (!main.length && !covert.length) return `${opening}暂无排查、隐患和执法记录。`;
  if (!main.length) return `${opening}${covert.join('，')}。`;
  const tail = covert.length ? `${t.inspections ? '其中，' : ''}${covert.join('，')}。` : '';
  return `${opening}${main.join('，')}。${tail}`;
}
