// A small city with known figures for November 2026 (local time, Asia/Shanghai), used by the
// statistics, bulletin, export and weekly-report tests. Every expected number is worked out here.
//
// Hazards in November (9):                          Outside November:
//   h1 化工 general closed      11-03 09:00            h10 烟花 closed     10-31 23:30 (October)
//   h2 化工 major   closed      11-05 (covert visit)   h11 烟花 dispatched 12-01 00:30 (December,
//   h3 化工 general dispatched  11-12, due 11-20 (overdue)                          though UTC 11-30)
//   h4 建筑 general reported    11-01 07:00 (UTC: 10-31)
//   h5 建筑 general dispatched  11-30 23:30, due 12-10 (not overdue)
//   h6 燃气 major   dispatched  11-15, due 11-25 (overdue; covert visit)
//   h7 燃气 major   closed      11-16
//   h8 烟花 general rectified   11-20
//   h9 烟花 general closed      11-21
// → found 9, rectified 5 (h1 h2 h7 h8 h9) = 55.6%, major 3 / 2, overdue at 12-01 10:00: 2.
// Inspections in November: 化工 3 (1 covert), 建筑 2, 燃气 1 (covert), 烟花 1 → 7 户次, 2 covert at 2
// enterprises, which found h2 (closed) and h6 (open).
// Enforcement in November: 化工 2 documents, 2 suspensions (1 enterprise), interview of 2, fine 12,345元;
// 建筑 fine 5,000元; 燃气 1 document, seal, detention of 1, fine 10,500元 → 3 份, 1 户, 1 户, 2 人, 1 人,
// 27,845元 = 2.78 万元 (2.7845 rounded half up).

import type { Db } from '../../src/db/client.ts';
import { enforcementActions, incidentDispatches, incidents, inspections, teams } from '../../src/db/schema.ts';
import { addEnterprise, addHazard, addPerson } from './seed.ts';

/** Local Beijing time → Date. */
export const bj = (s: string) => new Date(`${s}+08:00`);
const t = (s: string) => bj(s).getTime();

export const LEADER = 'ou_stats_leader';
export const INSPECTOR = 'ou_stats_inspector';
export const INSPECTOR_NOWHERE = 'ou_stats_inspector_nowhere';
export const CONTACT = 'ou_stats_contact';

export interface Fixture {
  ids: { chem: number; build: number; gas: number; fire: number };
}

export async function seedPeople(db: Db) {
  await addPerson(db, LEADER, '张伟', 'leader');
  await addPerson(db, INSPECTOR, '李检查', 'inspector', { township: '红梅镇' });
  await addPerson(db, INSPECTOR_NOWHERE, '赵检查', 'inspector');
  await addPerson(db, CONTACT, '刘联系', 'contact');
}

export async function seedNovember(db: Db): Promise<Fixture> {
  const chem = await addEnterprise(db, { name: '梅河化工有限公司', sector: 'hazardous_chemicals', township: '红梅镇' });
  const build = await addEnterprise(db, { name: '梅河建筑工程公司', sector: 'construction', township: '红梅镇' });
  const gas = await addEnterprise(db, { name: '山城燃气公司', sector: 'city_gas', township: '山城镇' });
  const fire = await addEnterprise(db, { name: '海龙烟花厂', sector: 'fireworks', township: '海龙镇' });
  const inspection = async (enterpriseId: number, at: string, covert = false) => {
    const [row] = await db.insert(inspections).values({ enterpriseId, at: t(at), covert, createdAt: t(at), inspectorOpenId: INSPECTOR }).returning({ id: inspections.id });
    return row.id;
  };
  const chemCovert = await inspection(chem, '2026-11-05T09:00:00', true);
  await inspection(chem, '2026-11-12T09:00:00');
  await inspection(chem, '2026-11-01T00:00:00');
  await inspection(build, '2026-11-01T06:00:00');
  await inspection(build, '2026-11-30T23:59:00');
  const gasCovert = await inspection(gas, '2026-11-15T10:00:00', true);
  await inspection(fire, '2026-11-20T10:00:00');
  await inspection(fire, '2026-10-31T23:59:00');
  await inspection(gas, '2026-12-01T00:01:00', true);

  const h = (enterpriseId: number, sector: string, township: string, v: Record<string, unknown>) =>
    addHazard(db, { enterpriseId, sector, township, reporterOpenId: INSPECTOR, ...v } as Parameters<typeof addHazard>[1]);
  const C = (v: Record<string, unknown>) => h(chem, 'hazardous_chemicals', '红梅镇', v);
  const B = (v: Record<string, unknown>) => h(build, 'construction', '红梅镇', v);
  const G = (v: Record<string, unknown>) => h(gas, 'city_gas', '山城镇', v);
  const F = (v: Record<string, unknown>) => h(fire, 'fireworks', '海龙镇', v);
  await C({ no: 'YH-2026-0001', status: 'closed', reportedAt: t('2026-11-03T09:00:00'), rectifiedAt: t('2026-11-04T09:00:00'), closedAt: t('2026-11-05T09:00:00') });
  await C({ no: 'YH-2026-0002', level: 'major', status: 'closed', reportedAt: t('2026-11-05T09:30:00'), inspectionId: chemCovert, closedAt: t('2026-11-09T09:00:00') });
  await C({ no: 'YH-2026-0003', status: 'dispatched', reportedAt: t('2026-11-12T09:30:00'), deadline: t('2026-11-20T23:59:00'), assigneeOpenId: CONTACT });
  await B({ no: 'YH-2026-0004', status: 'reported', reportedAt: t('2026-11-01T07:00:00') });
  await B({ no: 'YH-2026-0005', status: 'dispatched', reportedAt: t('2026-11-30T23:30:00'), deadline: t('2026-12-10T23:59:00'), description: '月末最后一条' });
  await G({ no: 'YH-2026-0006', level: 'major', status: 'dispatched', reportedAt: t('2026-11-15T10:30:00'), deadline: t('2026-11-25T23:59:00'), inspectionId: gasCovert });
  await G({ no: 'YH-2026-0007', level: 'major', status: 'closed', reportedAt: t('2026-11-16T10:00:00') });
  await F({ no: 'YH-2026-0008', status: 'rectified', reportedAt: t('2026-11-20T10:30:00') });
  await F({ no: 'YH-2026-0009', status: 'closed', reportedAt: t('2026-11-21T10:00:00') });
  await F({ no: 'YH-2026-0010', status: 'closed', reportedAt: t('2026-10-31T23:30:00') });
  await F({ no: 'YH-2026-0011', status: 'dispatched', reportedAt: t('2026-12-01T00:30:00'), deadline: t('2026-12-02T23:59:00') });

  const act = (enterpriseId: number, kind: string, at: string, v: { amountFen?: number; people?: number } = {}) =>
    db.insert(enforcementActions).values({ enterpriseId, kind, at: t(at), createdAt: t(at), ...v });
  await act(chem, 'document', '2026-11-05T11:00:00');
  await act(chem, 'document', '2026-11-12T11:00:00');
  await act(chem, 'suspend', '2026-11-05T12:00:00');
  await act(chem, 'suspend', '2026-11-13T12:00:00');
  await act(chem, 'interview', '2026-11-06T12:00:00', { people: 2 });
  await act(chem, 'fine', '2026-11-07T12:00:00', { amountFen: 1_234_500 });
  await act(build, 'fine', '2026-11-08T12:00:00', { amountFen: 500_000 });
  await act(gas, 'document', '2026-11-15T12:00:00');
  await act(gas, 'seal', '2026-11-16T12:00:00');
  await act(gas, 'detain', '2026-11-17T12:00:00', { people: 1 });
  await act(gas, 'fine', '2026-11-18T12:00:00', { amountFen: 1_050_000 });
  await act(fire, 'fine', '2026-12-01T00:10:00', { amountFen: 100_000_000 });
  return { ids: { chem, build, gas, fire } };
}

/**
 * Two incidents in November: 接令 after 4 and 6 minutes, 到达 after 30 and 40 (medians 5 and 35
 * minutes); one in December that must not count.
 */
export async function seedIncidents(db: Db) {
  const [team] = await db.insert(teams).values({ name: '梅河应急救援队', type: 'general', createdAt: 0, updatedAt: 0 }).returning({ id: teams.id });
  const one = async (no: string, at: string, ackMin: number, arriveMin: number) => {
    const r = t(at);
    const [inc] = await db
      .insert(incidents)
      .values({ no, type: 'fire', location: '红梅镇', description: '测试险情', severity: 'general', status: 'closed', reportedAt: r, updatedAt: r })
      .returning({ id: incidents.id });
    await db.insert(incidentDispatches).values({ incidentId: inc.id, teamId: team.id, dispatchedAt: r + 60_000, ackedAt: r + ackMin * 60_000, arrivedAt: r + arriveMin * 60_000 });
  };
  await one('XQ-2026-0001', '2026-11-10T10:00:00', 4, 30);
  await one('XQ-2026-0002', '2026-11-12T10:00:00', 6, 40);
  await one('XQ-2026-0003', '2026-12-01T08:00:00', 1, 2);
}
