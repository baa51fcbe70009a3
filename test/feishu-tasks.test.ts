// Hazards mirrored to Feishu Tasks (issue 19, FEISHU_TASKS=1): dispatch makes one task for the
// assignee, extensions move its due date, 整改完成 ticks it done, a failed verification reopens it,
// 销号 leaves it done — all through signed events, the real SDK and the fake Lark's task v2.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../src/db/schema.ts';
import { taskUpdatedEnvelope } from '../src/lark/simulate.ts';
import type { FakeTask } from '../src/lark/fake/server.ts';
import { SECRETS, type Harness } from './support/harness.ts';
import { cardJson, findButton, shown } from './support/cards.ts';
import { bindChat } from '../src/domain/chats.ts';
import { loadConfig } from '../src/config.ts';
import { settingsFromConfig } from '../src/settings.ts';
import { ADMIN, CONTACT, FIXER, hazardRow, INSPECTOR, LEADER, MEIHE, reportHazard, startTown } from './support/hazard-helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await startTown({ start: new Date('2026-12-01T01:00:00Z'), settings: { mirrors: { tasks: true, dutyCalendar: false } } });
});
afterAll(() => h.close());

const fixer = { openId: FIXER, name: '孙整改' };
const tasks = () => [...h.fake.workspace.tasks.values()];
const taskOf = (no: string): FakeTask => {
  const found = tasks().filter((t) => t.summary.startsWith(`${no} `));
  expect(found).toHaveLength(1);
  return found[0];
};
const taskCreates = () => h.fake.calls.filter((c) => c.method === 'POST' && c.path === '/open-apis/task/v2/tasks').length;

async function dispatched(description: string) {
  const r = await reportHazard(h, INSPECTOR, `/report ${MEIHE} ${description}`);
  await h.say(LEADER, `/dispatch ${r.no} @_user_1 期限:2026-12-10`, { mentions: [fixer] });
  return r;
}

describe('Feishu Tasks', () => {
  it('dispatch creates one task for the assignee: the hazard as its title, the deadline as due, the contact following, a reminder a day before', async () => {
    const before = tasks().length;
    const r = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 储罐区消防通道堵塞`);
    expect(tasks().length).toBe(before); // reported, nobody to do it yet: no task
    await h.say(LEADER, `/dispatch ${r.no} @_user_1 期限:2026-12-10`, { mentions: [fixer] });
    const t = taskOf(r.no);
    expect(t.summary).toBe(`${r.no} ${MEIHE}：储罐区消防通道堵塞`);
    expect(t.due).toBe((await hazardRow(h, r.no)).deadline);
    expect(t.members).toEqual(expect.arrayContaining([{ id: FIXER, role: 'assignee' }, { id: CONTACT, role: 'follower' }]));
    expect(t.reminders).toEqual([{ relative_fire_minute: 1440 }]);
    expect(t.completedAt).toBe(0);
    expect(JSON.stringify(t.origin)).toContain('applink.feishu.cn/client/chat/open?openChatId=oc_group');
    const create = h.fake.calls.find((c) => c.path === '/open-apis/task/v2/tasks' && (c.body as { summary?: string }).summary === t.summary)!;
    expect((create.body as { client_token?: string }).client_token).toBe(`watchkeeper-task-${r.no}`);
  });

  it('a retried outbox row never makes a second task: client_token returns the first, the recorded guid does after', async () => {
    const r = await dispatched('二号车间配电箱未接地');
    const guid = taskOf(r.no).guid;
    const creates = taskCreates();
    // The process died after Feishu created the task but before the guid was recorded: the row runs again.
    await h.db.run(sql`DELETE FROM mirror_items WHERE kind = 'task' AND key = ${r.no}`);
    await h.db.update(outbox).set({ status: 'pending', nextAttemptAt: h.now.getTime() }).where(eq(outbox.target, `task:${r.no}`));
    await h.settle();
    expect(taskCreates()).toBe(creates + 1); // asked again …
    expect(taskOf(r.no).guid).toBe(guid); // … and Feishu answered with the same task
    // Once recorded, a repeat makes no call at all.
    const calls = h.fake.calls.length;
    await h.db.update(outbox).set({ status: 'pending', nextAttemptAt: h.now.getTime() }).where(eq(outbox.target, `task:${r.no}`));
    await h.settle();
    expect(h.fake.calls.filter((c) => c.path.startsWith('/open-apis/task/')).length).toBe(h.fake.calls.slice(0, calls).filter((c) => c.path.startsWith('/open-apis/task/')).length);
    expect(tasks().filter((t) => t.summary.startsWith(`${r.no} `))).toHaveLength(1);
  });

  it('an approved extension moves the due date; 整改完成 ticks it done; a failed verification reopens it with the new deadline; 销号 leaves it done', async () => {
    const r = await dispatched('危化品仓库通风设备损坏');
    await h.say(FIXER, `/extend ${r.no} 2026-12-20 配件未到`);
    expect(taskOf(r.no).due).toBe((await hazardRow(h, r.no)).deadline); // still the old one: only asked
    await h.say(INSPECTOR, `/extend ${r.no} 同意`);
    const extended = (await hazardRow(h, r.no)).deadline!;
    expect(new Date(extended).toISOString().slice(0, 10)).toBe('2026-12-20');
    expect(taskOf(r.no).due).toBe(extended);

    await h.say(FIXER, `/rectify ${r.no} 已更换风机`);
    expect((await hazardRow(h, r.no)).status).toBe('rectified');
    expect(taskOf(r.no).completedAt).toBeGreaterThan(0);

    await h.say(INSPECTOR, `/verify ${r.no} 不通过 风量不足 期限:2026-12-25`);
    expect((await hazardRow(h, r.no)).status).toBe('dispatched');
    expect(taskOf(r.no).completedAt).toBe(0);
    expect(taskOf(r.no).due).toBe((await hazardRow(h, r.no)).deadline);

    await h.say(FIXER, `/rectify ${r.no} 加装风机`);
    await h.say(INSPECTOR, `/verify ${r.no} 通过`);
    expect((await hazardRow(h, r.no)).status).toBe('closed');
    expect(taskOf(r.no).completedAt).toBeGreaterThan(0);
    expect(tasks().filter((t) => t.summary.startsWith(`${r.no} `))).toHaveLength(1);
  });

  it('a task ticked done in Feishu asks the assignee to confirm 整改完成 on the hazard card, and changes nothing', async () => {
    const r = await dispatched('液氨管道阀门泄漏');
    const t = h.fake.workspace.completeAsUser(taskOf(r.no).guid);
    const { res, sent } = await h.event(taskUpdatedEnvelope({ taskId: t.guid, objType: 5, token: SECRETS.verificationToken }));
    expect(res.status).toBe(200);
    expect((await hazardRow(h, r.no)).status).toBe('dispatched');
    const toFixer = sent.filter((m) => m.receiveId === FIXER);
    expect(toFixer).toHaveLength(1);
    const card = toFixer[0];
    expect(shown(card)).toContain(`您已在飞书任务中将「${r.no}」标记为完成`);
    // The card carries the real button; pressing it is what rectifies.
    const value = findButton(cardJson(card.content), 'hazard.rectify');
    expect(value).toBeTruthy();
    const click = await h.click({ operatorOpenId: FIXER, value: value!, messageId: card.messageId, chatId: card.chatId });
    expect(click.res.status).toBe(200);
    expect((await hazardRow(h, r.no)).status).toBe('rectified');
    // Feishu already shows it done: the mirror does not try to complete it twice.
    expect(h.fake.calls.filter((c) => c.path === `/open-apis/task/v2/tasks/${t.guid}` && c.code !== 0)).toHaveLength(0);
    expect(taskOf(r.no).completedAt).toBe(t.completedAt);
  });

  it('a Lark 5xx on the task call is retried through the outbox; the chat flow goes on', async () => {
    const r = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 装卸区静电接地线断开`);
    h.fake.failNext(1, { status: 500, code: 1470500, msg: '创建任务失败', path: '/open-apis/task/' });
    const d = await h.say(LEADER, `/dispatch ${r.no} @_user_1 期限:2026-12-10`, { mentions: [fixer] });
    // The answer and the assignee's notice went out at once …
    expect(d.replies.map(shown).join('\n')).toContain(r.no);
    expect(d.replies.some((m) => m.receiveId === FIXER)).toBe(true);
    // … while the task waits for its retry.
    expect(tasks().filter((t) => t.summary.startsWith(`${r.no} `))).toHaveLength(0);
    // The report queued a row too (nothing to mirror then); the dispatch's is the last.
    const row = (await h.db.select().from(outbox).where(eq(outbox.target, `task:${r.no}`))).at(-1)!;
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.lastError).toContain('1470500');
    h.advance(5_000);
    await h.settle();
    expect(taskOf(r.no).members).toEqual(expect.arrayContaining([{ id: FIXER, role: 'assignee' }]));
    const after = (await h.db.select().from(outbox).where(eq(outbox.target, `task:${r.no}`))).at(-1)!;
    expect(after.status).toBe('sent');
  });

  it('/status shows the mirrors', async () => {
    const r = await h.say(ADMIN, '/status');
    const text = r.replies.map(shown).join('\n');
    expect(text).toContain('飞书任务');
  });
});

describe('a tasklist per township group (FEISHU_TASKLISTS=1)', () => {
  let t: Harness;
  beforeAll(async () => {
    t = await startTown({ start: new Date('2026-12-01T01:00:00Z'), settings: { mirrors: { tasks: true, tasklists: true, dutyCalendar: false } } });
    await bindChat(t.db, 'township', '红梅镇', 'oc_hongmei', ADMIN, t.now);
  });
  afterAll(() => t.close());

  it("a township's hazards go into one tasklist, its group subscribed to the tasklist's activity", async () => {
    for (const what of ['储罐区消防通道堵塞', '二号车间配电箱未接地']) {
      const r = await reportHazard(t, INSPECTOR, `/report ${MEIHE} ${what}`);
      await t.say(LEADER, `/dispatch ${r.no} @_user_1 期限:2026-12-10`, { mentions: [fixer] });
    }
    const lists = [...t.fake.workspace.tasklists.values()];
    expect(lists).toHaveLength(1);
    expect(lists[0].name).toBe('隐患整改 · 红梅镇');
    expect(lists[0].subscriptions).toEqual([{ name: '红梅镇安全生产群', chatIds: ['oc_hongmei'], includeKeys: [100, 103, 104, 110, 130] }]);
    const inList = [...t.fake.workspace.tasks.values()].filter((x) => x.tasklists.includes(lists[0].guid));
    expect(inList).toHaveLength(2);
  });

  it('a hazard of a township without a group gets its task outside any tasklist', async () => {
    const r = await reportHazard(t, INSPECTOR, '/report 山城建筑工程公司 脚手架连墙件缺失');
    await t.say(LEADER, `/dispatch ${r.no} @_user_1 期限:2026-12-10`, { mentions: [fixer] });
    const task = [...t.fake.workspace.tasks.values()].find((x) => x.summary.startsWith(`${r.no} `))!;
    expect(task.tasklists).toEqual([]);
    expect(t.fake.workspace.tasklists.size).toBe(1);
  });
});

describe('mirror settings', () => {
  const app = { LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 's', LARK_ENCRYPT_KEY: 'k', LARK_VERIFICATION_TOKEN: 't' };
  it('with a real app each mirror is off unless configured; the sandbox has all on unless set to 0; bad values stop start-up', () => {
    expect(settingsFromConfig(loadConfig(app)).mirrors).toEqual({ tasks: false, tasklists: false, dutyCalendar: false, bitable: undefined });
    expect(settingsFromConfig(loadConfig({ ...app, FEISHU_TASKS: '1', FEISHU_BITABLE_APP_TOKEN: 'bascnA', FEISHU_BITABLE_TABLE_ID: 'tblB' })).mirrors).toEqual({
      tasks: true,
      tasklists: false,
      dutyCalendar: false,
      bitable: { appToken: 'bascnA', tableId: 'tblB' },
    });
    expect(settingsFromConfig(loadConfig({})).mirrors).toMatchObject({ tasks: true, tasklists: true, dutyCalendar: true, bitable: { tableId: 'tblSandboxLedger' } });
    expect(settingsFromConfig(loadConfig({ FEISHU_DUTY_CALENDAR: '0' })).mirrors.dutyCalendar).toBe(false);
    expect(() => loadConfig({ ...app, FEISHU_TASKS: 'maybe' })).toThrow(/FEISHU_TASKS: must be 1 \(on\) or 0 \(off\)/);
    expect(() => loadConfig({ ...app, FEISHU_BITABLE_APP_TOKEN: 'bascnA' })).toThrow(/FEISHU_BITABLE_TABLE_ID: is required/);
  });
});
