// The rollups behind /stats (issue 20, docs/adr/0022-statistics-rollups.md) equal counting the rows
// after random histories: hazards reported, dispatched, rectified, failing verification and
// re-dispatched through the bot; then thousands of random writes to hazards, visits, enforcement
// and enterprises (moved to another township, another sector, deleted), imports, and the deletion
// of test data. Every figure of /stats from the rollups is compared with the same figure counted
// from the rows, for days, weeks, months, quarters, years and odd ranges, by sector, township and
// county, for the whole city, a township and a county.

import { eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness } from './support/harness.ts';
import { FIXER, INSPECTOR, LEADER, MEIHE, noIn, startTown } from './support/hazard-helpers.ts';
import { shown } from './support/cards.ts';
import { enforcementActions, enterprises, hazards, inspections, townships } from '../src/db/schema.ts';
import { computeStats, type Grouping } from '../src/domain/stats.ts';
import { parsePeriod, type Period } from '../src/domain/stats-period.ts';
import { calendarDays, rebuildStatements, rollupBuckets, rollupDifferences } from '../src/domain/stats-rollup.ts';
import type { Scope } from '../src/domain/stats-scope.ts';
import { runImport } from '../src/import/framework.ts';
import { hazardsImporter } from '../src/import/hazards.ts';

const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-12-01T02:00:00Z');
const fixer = { openId: FIXER, name: '孙整改' };
let h: Harness;

/** A seeded generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const SEED = 20261202;
const rand = rng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

const TOWNS = ['红梅镇', '山城镇', '海龙镇', '柳溪乡', null] as const;
const SECTORS = ['hazardous_chemicals', 'construction', 'fireworks', 'city_gas', 'other'] as const;
const STATUSES = ['reported', 'dispatched', 'rectified', 'closed'] as const;
// 2025-06 … 2027-01, with many rows around local midnights and month ends.
const T0 = Date.UTC(2025, 5, 1);
const T1 = Date.UTC(2027, 0, 31);
const when = () => {
  if (rand() < 0.3) {
    // within a minute of a local midnight (16:00 UTC)
    const day = Math.floor((T0 + rand() * (T1 - T0)) / 86_400_000) * 86_400_000 + 16 * 3600_000;
    return day + int(-60_000, 60_000);
  }
  return Math.floor(T0 + rand() * (T1 - T0));
};

const period = (text: string): Period => {
  const p = parsePeriod(text, NOW, TZ);
  if (!p.ok) throw new Error(`${text}: ${p.zh}`);
  return p.period;
};

async function expectRollupsEqualRows(label: string) {
  expect(await rollupDifferences(h.db), `${label}: stored rollup rows that differ from the rows`).toBe(0);
  const periods = ['今天', '本周', '上周', '本月', '上月', '本季度', '上季度', '今年', '去年', '2026-02', '2025Q3', '2025-12-31..2026-01-01', '2025-06-15..2026-11-30', '2026-11-30..2026-12-01'];
  const scopes: Scope[] = [{ kind: 'all' }, { kind: 'township', township: '红梅镇' }, { kind: 'county', county: '东山县' }];
  const groupings: (Grouping | undefined)[] = [undefined, 'township', 'county'];
  for (const text of periods) {
    const p = period(text);
    expect(await rollupBuckets(h.db, p), `${text} is read from the rollups`).toBeDefined();
    for (const scope of scopes) {
      for (const g of groupings) {
        const fast = await computeStats(h.db, p, g, NOW, scope);
        const rows = await computeStats(h.db, p, g, NOW, scope, { rollups: false });
        expect(fast.groups, `${label}: ${text} ${g ?? 'sector'} ${JSON.stringify(scope)}`).toEqual(rows.groups);
        expect(fast.total).toEqual(rows.total);
        expect(fast.covertHazards).toEqual(rows.covertHazards);
        expect(fast.ledger).toEqual(rows.ledger);
      }
    }
  }
}

beforeAll(async () => {
  h = await startTown({ start: NOW });
  const t = NOW.getTime();
  await h.db.insert(enterprises).values([
    { name: '海龙烟花厂', sector: 'fireworks', township: '海龙镇', createdAt: t, updatedAt: t },
    { name: '柳溪燃气站', sector: 'city_gas', township: '柳溪乡', createdAt: t, updatedAt: t },
    { name: '无乡镇企业', sector: 'other', createdAt: t, updatedAt: t },
  ]);
  await h.db.insert(townships).values([
    { name: '红梅镇', county: '东山县', updatedAt: t },
    { name: '山城镇', county: '东山县', updatedAt: t },
    { name: '海龙镇', county: '西江区', updatedAt: t },
  ]);
});
afterAll(() => h.close());

describe('stats rollups', () => {
  it('the migration’s calendar is Asia/Shanghai’s local days, months and years, 1992–2099', async () => {
    const rows = await h.db.all<{ day: number; month: number; year: number }>(sql`SELECT day, month, year FROM stats_calendar ORDER BY day`);
    expect(rows.map((r) => [r.day, r.month, r.year])).toEqual(calendarDays(TZ));
    expect(rows[0].day).toBe(Date.parse('1992-01-01T00:00:00+08:00'));
  });

  it('follow hazards through the bot: report, dispatch, rectify, failed verification, re-dispatch, closing', async () => {
    const nos: string[] = [];
    for (const text of ['储罐区静电接地断开', '消防通道堵塞', '反应釜温度计损坏', '围墙破损']) {
      const r = await h.say(INSPECTOR, `/report ${MEIHE} ${text}`);
      nos.push(noIn(r.replies.map(shown).join('\n'))!);
    }
    for (const no of nos) await h.say(LEADER, `/dispatch ${no} @_user_1 期限:5天`, { mentions: [fixer] });
    for (const no of nos.slice(0, 3)) await h.say(FIXER, `/rectify ${no} 已整改`);
    await h.say(INSPECTOR, `/verify ${nos[0]} 通过`);
    await h.say(INSPECTOR, `/复查 ${nos[1]} 不通过 温度计型号不符 期限:2026-12-15`);
    const statuses = await h.db.select({ no: hazards.no, status: hazards.status }).from(hazards);
    expect(statuses.map((s) => s.status).sort()).toEqual(['closed', 'dispatched', 'dispatched', 'rectified']);
    const month = await computeStats(h.db, period('本月'), undefined, NOW);
    expect(month.total).toMatchObject({ found: 4, rectified: 2 });
    await expectRollupsEqualRows('after the bot');
  });

  it('equal the rows after thousands of random writes, imports and the deletion of test data', async () => {
    const ents = (await h.db.select({ id: enterprises.id }).from(enterprises)).map((e) => e.id);
    let n = 0;
    for (let step = 0; step < 1500; step++) {
      const r = rand();
      const ids = async (table: 'hazards' | 'inspections' | 'enforcement_actions') =>
        (await h.db.all<{ id: number }>(sql.raw(`SELECT id FROM ${table} ORDER BY random() LIMIT 3`))).map((x) => x.id);
      const visit = async () => rand() < 0.5 ? null : ((await ids('inspections'))[0] ?? null);
      if (r < 0.3) {
        const at = when();
        const inspectionId = await visit();
        await h.db.insert(hazards).values({
          no: `YH-R-${++n}`, enterpriseId: pick(ents), sector: pick(SECTORS), township: pick(TOWNS), level: rand() < 0.15 ? 'major' : 'general',
          description: rand() < 0.2 ? '测试数据' : '随机隐患', reporterOpenId: INSPECTOR, status: pick(STATUSES), reportedAt: at,
          deadline: rand() < 0.05 ? null : at + int(-5, 30) * 86_400_000, inspectionId, updatedAt: at,
        });
      } else if (r < 0.5) {
        // a life step: dispatch, rectify, verify (pass or fail → re-dispatch), or a correction of level / township / date
        for (const id of await ids('hazards')) {
          const c = rand();
          const set = c < 0.55 ? { status: pick(STATUSES) } : c < 0.65 ? { level: pick(['general', 'major']) } : c < 0.75 ? { township: pick(TOWNS), sector: pick(SECTORS) }
            : c < 0.85 ? { reportedAt: when() } : c < 0.93 ? { inspectionId: await visit() } : { deadline: rand() < 0.2 ? null : when() };
          await h.db.update(hazards).set(set).where(eq(hazards.id, id));
        }
      } else if (r < 0.65) {
        const at = when();
        await h.db.insert(inspections).values({ enterpriseId: pick(ents), at, covert: rand() < 0.2, inspectorOpenId: INSPECTOR, createdAt: at });
      } else if (r < 0.72) {
        for (const id of await ids('inspections')) {
          const c = rand();
          if (c < 0.3) await h.db.delete(inspections).where(eq(inspections.id, id));
          else await h.db.update(inspections).set(c < 0.6 ? { covert: rand() < 0.5 } : c < 0.8 ? { at: when() } : { enterpriseId: pick(ents) }).where(eq(inspections.id, id));
        }
      } else if (r < 0.85) {
        const at = when();
        const kind = pick(['document', 'suspend', 'seal', 'interview', 'detain', 'fine']);
        await h.db.insert(enforcementActions).values({ enterpriseId: pick(ents), kind, amountFen: kind === 'fine' ? int(1, 500) * 10_000 : 0, people: int(0, 3), at, createdAt: at });
      } else if (r < 0.9) {
        for (const id of await ids('enforcement_actions')) {
          const c = rand();
          if (c < 0.3) await h.db.delete(enforcementActions).where(eq(enforcementActions.id, id));
          else await h.db.update(enforcementActions).set(c < 0.6 ? { kind: pick(['document', 'fine', 'interview', 'detain', 'seal']), people: int(0, 4), amountFen: int(0, 9) * 5000 } : { at: when() }).where(eq(enforcementActions.id, id));
        }
      } else if (r < 0.95) {
        // an enterprise moves to another township or sector: its visits and actions move with it
        await h.db.update(enterprises).set(rand() < 0.5 ? { township: pick(TOWNS) } : { sector: pick(SECTORS) }).where(eq(enterprises.id, pick(ents)));
      } else if (r < 0.97) {
        await h.db.delete(hazards).where(eq(hazards.id, (await ids('hazards'))[0] ?? -1));
      } else {
        // a township changes county (the rollup keys townships; counties are looked up when asked)
        await h.db.update(townships).set({ county: pick(['东山县', '西江区']) }).where(eq(townships.name, pick(['红梅镇', '山城镇', '海龙镇'])));
      }
    }
    // A hazards ledger import adds rows, and a second one corrects them in place.
    const ledger = (rows: string[]) => runImport(hazardsImporter, ['no,enterprise,level,description,reported_at,deadline,status,rectified_at,closed_at,reporter,assignee', ...rows].join('\n'), { db: h.db, now: NOW, tz: TZ });
    expect((await ledger([
      `YH-2025-0900,${MEIHE},一般,导入新增,2025-12-31 23:30,2026-01-10,已销号,2026-01-05,2026-01-06,,`,
      `YH-2025-0901,${MEIHE},一般,导入新增,2026-01-01 00:10,2026-01-10,整改中,,,,`,
    ])).errors).toEqual([]);
    const corrected = await ledger([
      `YH-2025-0900,${MEIHE},一般,导入新增,2025-12-31 23:30,2026-01-10,已销号,2026-01-05,2026-01-06,,`,
      `YH-2025-0901,${MEIHE},重大,导入修改,2025-12-31 23:50,2026-01-10,已销号,2026-01-05,2026-01-06,,`,
    ]);
    expect(corrected).toMatchObject({ errors: [], updated: 1 });
    await expectRollupsEqualRows('after random writes');

    // Deleting test data, an enterprise and its history with it.
    const removed = await h.db.delete(hazards).where(like(hazards.description, '测试%')).returning({ id: hazards.id });
    expect(removed.length).toBeGreaterThan(10);
    const gone = ents[ents.length - 1];
    await h.db.delete(inspections).where(eq(inspections.enterpriseId, gone));
    await h.db.delete(enforcementActions).where(eq(enforcementActions.enterpriseId, gone));
    await h.db.delete(hazards).where(eq(hazards.enterpriseId, gone));
    await h.db.delete(enterprises).where(eq(enterprises.id, ents[1]));
    await expectRollupsEqualRows('after deleting test data');
  });

  it('a damaged rollup is found by the check and mended by the rebuild', async () => {
    await h.db.run(sql`UPDATE stats_rollup SET found = found + 1 WHERE grain = 'm' AND bucket = (SELECT min(bucket) FROM stats_rollup WHERE grain = 'm')`);
    expect(await rollupDifferences(h.db)).toBeGreaterThan(0);
    await h.db.batch(rebuildStatements(h.db));
    await expectRollupsEqualRows('after the rebuild');
  });

  it('a period the calendar cannot cut is counted from the rows', async () => {
    const outside = { ...period('2026-11'), from: Date.UTC(2026, 10, 1) };
    expect(await rollupBuckets(h.db, outside)).toBeUndefined();
    const fast = await computeStats(h.db, outside, 'township', NOW);
    const rows = await computeStats(h.db, outside, 'township', NOW, { kind: 'all' }, { rollups: false });
    expect(fast.groups).toEqual(rows.groups);
  });
});
