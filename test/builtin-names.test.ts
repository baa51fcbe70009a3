import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.ts';
import { addEnterprise, addPerson } from './support/seed.ts';
import { shown } from './support/cards.ts';
import { bj } from './support/roster-helpers.ts';
import { enforcementActions, enterprises, hazards, incidents, inspections, shifts, teams } from '../src/db/schema.ts';
import { commands } from '../commands/index.ts';

// Words that name Object.prototype's own properties. Typed by a person they must be read as
// ordinary (unknown) words: a table lookup keyed by them must not find a function or an object.
const BUILTINS = ['constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'] as const;
const APOLOGY = '处理这条消息时出错';

const ADMIN = 'ou_bn_admin';
const INSPECTOR = 'ou_bn_lina';
const OFFICER = 'ou_bn_officer';
const LEADER = 'ou_bn_leader';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ adminOpenIds: [ADMIN], start: new Date('2026-12-01T01:00:00Z') });
  await addPerson(h.db, INSPECTOR, '李娜', 'inspector', { township: '红梅镇' });
  await addPerson(h.db, OFFICER, '王强', 'officer');
  await addPerson(h.db, LEADER, '陈静', 'leader');
  await addEnterprise(h.db, { name: '梅河化工有限公司', sector: 'hazardous_chemicals', township: '红梅镇' });
  const t = Date.UTC(2026, 0, 1);
  await h.db.insert(teams).values({ name: '红梅镇防汛抢险队', type: 'flood', leaderOpenId: OFFICER, members: 30, township: '红梅镇', equipment: '[]', createdAt: t, updatedAt: t });
  await h.db.insert(shifts).values([
    { role: 'leader', personOpenId: LEADER, start: bj('2026-12-01T08:30:00').getTime(), end: bj('2026-12-02T08:30:00').getTime(), origin: 'imported', createdAt: t, updatedAt: t },
    { role: 'officer', personOpenId: OFFICER, start: bj('2026-12-01T08:30:00').getTime(), end: bj('2026-12-02T08:30:00').getTime(), origin: 'imported', createdAt: t, updatedAt: t },
  ]);
});
afterAll(() => h.close());

async function counts() {
  const n = async (t: Parameters<typeof h.db.$count>[0]) => h.db.$count(t);
  return { enterprises: await n(enterprises), hazards: await n(hazards), incidents: await n(incidents), enforcement: await n(enforcementActions), inspections: await n(inspections) };
}

/** One answer, not the apology for a crash, and no JavaScript internals leaking into the text. */
async function answer(as: string, text: string) {
  const { res, replies, messageId } = await h.say(as, text);
  expect(res.status, text).toBe(200);
  // An incident also posts to the leaders' and duty chats; the answer is the one reply in the thread.
  const inThread = replies.filter((m) => m.parentId === messageId);
  expect(inThread, `replies to ${text}`).toHaveLength(1);
  for (const m of replies) {
    expect(shown(m), text).not.toContain(APOLOGY);
    expect(shown(m), text).not.toMatch(/undefined|\[object Object\]|function |native code/);
  }
  return shown(inThread[0]);
}

describe('built-in property names typed by people', () => {
  it('refuses an unknown enforcement kind without a crash or a record', async () => {
    const before = await counts();
    const text = await answer(INSPECTOR, '/enforce 梅河化工有限公司 constructor');
    expect(text).toContain('请写明执法类别');
    expect(await counts()).toEqual(before);
  });

  it('refuses 级别:valueOf on a report with the unknown-level answer and stores nothing', async () => {
    const before = await counts();
    const text = await answer(INSPECTOR, '/report 梅河化工有限公司 消防通道堵塞 级别:valueOf');
    expect(text).toContain('valueOf');
    expect(text).toMatch(/级别/);
    expect(await counts()).toEqual(before);
  });

  it('answers /stats 本月 __proto__ with the unknown-grouping answer', async () => {
    const text = await answer(LEADER, '/stats 本月 __proto__');
    expect(text).toContain('__proto__');
    expect(text).toMatch(/按行业|按乡镇|按企业/);
  });

  it('lists no hazards for /hazards constructor (an enterprise name matched by nothing)', async () => {
    const text = await answer(INSPECTOR, '/hazards constructor');
    expect(text).toContain('constructor');
  });

  it('refuses /incident constructor as an unknown incident type', async () => {
    const before = await counts();
    const text = await answer(OFFICER, '/incident constructor 城区 河水漫堤');
    expect(text).toContain('险情类型');
    expect(text).toContain('constructor');
    expect(await counts()).toEqual(before);
  });

  it('refuses /incident … 级别:constructor instead of recording a level of undefined', async () => {
    const before = await counts();
    const text = await answer(OFFICER, '/incident 防汛 城区 河水漫堤 级别:constructor');
    expect(text).toContain('constructor');
    expect(text).toContain('级别');
    expect(await counts()).toEqual(before);
  });

  it('refuses the sector __proto__ for a new enterprise instead of storing [object Object]', async () => {
    const before = await counts();
    const text = await answer(ADMIN, '/enterprise add 新厂__proto__ 行业:__proto__ 乡镇:红梅镇');
    expect(text).toContain('行业');
    expect(await counts()).toEqual(before);
  });

  it('refuses 来源:constructor on a report as an unknown source and stores nothing', async () => {
    const before = await counts();
    const text = await answer(INSPECTOR, '/report 梅河化工有限公司 消防通道堵塞 来源:constructor');
    expect(text).toContain('constructor');
    expect(await counts()).toEqual(before);
  });

  it('answers /teams __proto__ without undefined (no team of that type or township)', async () => {
    const text = await answer(OFFICER, '/teams __proto__');
    expect(text).toContain('__proto__');
  });

  it.each(BUILTINS)('treats the option key %s:… as an ordinary unknown option', async (word) => {
    const before = await counts();
    await answer(INSPECTOR, `/enterprise add 新厂 ${word}:危化 乡镇:红梅镇`);
    await answer(INSPECTOR, `/hazards ${word}:1`);
    expect(await counts()).toEqual(before);
  });

  it.each(BUILTINS)('answers every command with %s as its name, in every position, once and without a crash', async (word) => {
    await answer(INSPECTOR, `/${word}`);
    // As an admin, so every command gets past its role check and reads its arguments.
    for (const c of commands) {
      await answer(ADMIN, `/${c.name} ${word}`);
      await answer(ADMIN, `/${c.name} 梅河化工有限公司 ${word} ${word}`);
      await answer(ADMIN, `/${c.name} ${word} 级别:${word} 期限:${word} 行业:${word} 乡镇:${word}`);
      await answer(ADMIN, `/${c.name} ${word}:${word} @_user_9`);
    }
  });
});
