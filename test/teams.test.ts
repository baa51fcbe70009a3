import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.ts';
import { addPerson } from './support/seed.ts';
import { teams } from '../src/db/schema.ts';
import { runImport, type ImportContext } from '../src/import/framework.ts';
import { importers } from '../src/import/index.ts';
import { teamsImporter } from '../src/import/teams.ts';
import { equipmentOf, parseEquipment, suggestTeams, townshipIn } from '../src/domain/teams.ts';
import { parseIncidentType, parseSeverity, parseTeamType } from '../src/domain/incident-types.ts';
import { cardToText } from '../src/lark/card-text.ts';

const ADMIN = 'ou_t_admin';
const LI = 'ou_t_ligang';
const ZHOU = 'ou_t_zhou';
const OFFICER = 'ou_t_officer';
const HEADER = 'name,type,leader,members,township,equipment';

let h: Harness;
const ctx = (): ImportContext => ({ db: h.db, now: h.now, tz: 'Asia/Shanghai' });
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');

beforeAll(async () => {
  h = await startHarness({ adminOpenIds: [ADMIN] });
  await addPerson(h.db, LI, '李刚', 'contact', { mobile: '13900000011' });
  await addPerson(h.db, ZHOU, '周强', 'contact');
  await addPerson(h.db, OFFICER, '王强', 'officer');
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.db.delete(teams);
});

const GOOD = csv(
  '红梅镇防汛抢险队,防汛,李刚,30,红梅镇,抽水泵:12|冲锋舟:3',
  '山城镇森林扑火队,forest_fire,ou_t_zhou,25,山城镇,风力灭火机:20',
  '市综合应急救援队,综合应急,周强,60,,发电机:5|抽水泵:8',
);

describe('teams import', () => {
  it('is registered as `teams` with the contract header', () => {
    expect(importers.teams).toBe(teamsImporter);
    expect(teamsImporter.header.join(',')).toBe(HEADER);
  });

  it('imports teams with leader by name or open_id and equipment counts', async () => {
    const r = await runImport(teamsImporter, GOOD, ctx());
    expect(r).toMatchObject({ inserted: 3, updated: 0, errors: [] });
    const rows = await h.db.select().from(teams).orderBy(asc(teams.id));
    expect(rows.map((t) => [t.name, t.type, t.leaderOpenId, t.members, t.township])).toEqual([
      ['红梅镇防汛抢险队', 'flood', LI, 30, '红梅镇'],
      ['山城镇森林扑火队', 'forest_fire', ZHOU, 25, '山城镇'],
      ['市综合应急救援队', 'general', ZHOU, 60, null],
    ]);
    expect(equipmentOf(rows[0])).toEqual([{ name: '抽水泵', count: 12 }, { name: '冲锋舟', count: 3 }]);

    // Again: nothing changes; a changed row is updated in place.
    expect(await runImport(teamsImporter, GOOD, ctx())).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    const changed = GOOD.replace('30,红梅镇,抽水泵:12', '32,红梅镇,抽水泵:14');
    expect(await runImport(teamsImporter, changed, ctx())).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
  });

  it('is all-or-nothing, with every bad line reported', async () => {
    const bad = csv(
      '红梅镇防汛抢险队,防汛,李刚,30,红梅镇,抽水泵:12|冲锋舟:3',
      '坏设备队,防汛,李刚,10,红梅镇,抽水泵12',
      '零设备队,防汛,李刚,10,红梅镇,抽水泵:0',
      '重复设备队,防汛,李刚,10,红梅镇,抽水泵:1|抽水泵:2',
      '无名队长队,防汛,张三,10,红梅镇,',
      '怪类型队,潜水,李刚,10,红梅镇,',
      '人数队,防汛,李刚,很多,红梅镇,',
      '无队长队,防汛,,10,红梅镇,',
    );
    const r = await runImport(teamsImporter, bad, ctx());
    expect(r.inserted).toBe(0);
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(r.errors[0].reason).toContain('NAME:COUNT');
    expect(r.errors[2].reason).toContain('listed twice');
    expect(r.errors[3].reason).toContain('张三');
    expect(r.errors[4].reason).toContain('潜水');
    expect(await h.db.select().from(teams)).toHaveLength(0);

    const dup = csv('甲队,防汛,李刚,1,,', '甲队,防汛,李刚,2,,');
    expect((await runImport(teamsImporter, dup, ctx())).errors).toEqual([{ line: 3, reason: expect.stringContaining('line 2') }]);
  });

  it('reads equipment cells', () => {
    expect(parseEquipment('')).toEqual([]);
    expect(parseEquipment('抽水泵：12｜冲锋舟:3|')).toEqual([{ name: '抽水泵', count: 12 }, { name: '冲锋舟', count: 3 }]);
    expect(parseEquipment(':3')).toEqual(expect.stringContaining('NAME:COUNT'));
  });
});

describe('/teams', () => {
  beforeEach(async () => {
    await runImport(teamsImporter, GOOD, ctx());
  });

  it('lists every team with the totals (支队伍, 人, 台设备)', async () => {
    const { replies } = await h.say(OFFICER, '/teams');
    const text = cardToText(JSON.parse(replies[0].content));
    expect(text).toContain('共 **3** 支队伍 **115** 人，抢险设备 **48** 台');
    expect(text).toContain('抽水泵 20');
    expect(text).toContain('红梅镇防汛抢险队 | 防汛抢险 | 红梅镇 | 李刚 13900000011 | 30 | 15（抽水泵12、冲锋舟3）');
    expect(text).toContain('市综合应急救援队 | 综合应急 | 市级');
  });

  it('filters by type or township (/队伍 alias)', async () => {
    const byType = cardToText(JSON.parse((await h.say(OFFICER, '/队伍 森林消防')).replies[0].content));
    expect(byType).toContain('共 **1** 支队伍 **25** 人，抢险设备 **20** 台');
    expect(byType).toContain('山城镇森林扑火队');
    const byTown = cardToText(JSON.parse((await h.say(OFFICER, '/teams 红梅镇')).replies[0].content));
    expect(byTown).toContain('共 **1** 支队伍 **30** 人');
    const none = cardToText(JSON.parse((await h.say(OFFICER, '/teams 无此镇')).replies[0].content));
    expect(none).toContain('没有符合条件的队伍');
  });
});

describe('choosing teams for an incident', () => {
  beforeEach(async () => {
    await runImport(teamsImporter, GOOD, ctx());
  });

  it('offers suited types in the named township and city-level, else every suited team', async () => {
    expect(await townshipIn(h.db, '红梅镇河堤')).toBe('红梅镇');
    const flood = await suggestTeams(h.db, { type: 'flood', location: '红梅镇河堤' }, []);
    expect(flood.township).toBe('红梅镇');
    expect(flood.teams.map((t) => t.name)).toEqual(['红梅镇防汛抢险队', '市综合应急救援队']);
    const fire = await suggestTeams(h.db, { type: 'forest_fire', location: '红梅镇后山' }, []);
    // No forest team in 红梅镇: the suited ones citywide.
    expect(fire.township).toBeUndefined();
    expect(fire.teams.map((t) => t.name).sort()).toEqual(['山城镇森林扑火队', '市综合应急救援队'].sort());
    const excluded = await suggestTeams(h.db, { type: 'flood', location: '红梅镇河堤' }, [flood.teams[0].id]);
    expect(excluded.teams.map((t) => t.name)).toEqual(['市综合应急救援队']);
  });

  it('reads types and severities by label or code', () => {
    expect(parseIncidentType('防汛')).toBe('flood');
    expect(parseIncidentType('forest_fire')).toBe('forest_fire');
    expect(parseIncidentType('生产安全事故')).toBe('accident');
    expect(parseIncidentType('危化')).toBe('hazardous_chemicals');
    expect(parseIncidentType('火灾')).toBe('fire');
    expect(parseIncidentType('地震')).toBe('earthquake');
    expect(parseIncidentType('打架')).toBeUndefined();
    expect(parseTeamType('mine_rescue')).toBe('mine_rescue');
    expect(parseTeamType('医疗救护')).toBe('medical');
    expect(['一般', '较大', '重大', '特别重大'].map(parseSeverity)).toEqual(['general', 'larger', 'major', 'especially_major']);
    expect(parseSeverity('especially_major')).toBe('especially_major');
  });
});
