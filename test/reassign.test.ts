// 改派 (/reassign, /改派, /调整责任人): a hazard being rectified given to another person — the
// enterprise changed who handles it, or the first choice was wrong. The status and deadline stay;
// the new assignee gets the card and the nags, the old one is told, the Feishu task moves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf, type Harness } from './support/harness.ts';
import { isCard, shown } from './support/cards.ts';
import { CONTACT, dmsTo, eventsOf, FIXER, hazardCardMessage, hazardRow, INSPECTOR, INSPECTOR2, LEADER, MEIHE, reportHazard, startTown } from './support/hazard-helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await startTown({ start: new Date('2026-12-01T01:00:00Z'), settings: { mirrors: { tasks: true, dutyCalendar: false } } });
});
afterAll(() => h.close());

const fixer = { openId: FIXER, name: '孙整改' };
const contact = { openId: CONTACT, name: '刘联系' };
const taskOf = (no: string) => [...h.fake.workspace.tasks.values()].find((t) => t.summary.startsWith(`${no} `))!;

async function dispatched(description: string) {
  const r = await reportHazard(h, INSPECTOR, `/report ${MEIHE} ${description}`);
  await h.say(LEADER, `/dispatch ${r.no} @_user_1 期限:2026-12-10`, { mentions: [fixer] });
  return r;
}

describe('/reassign', () => {
  it('gives the hazard to the new person: card to them, word to the old one, deadline and status kept, the task moved', async () => {
    const r = await dispatched('储罐区消防通道堵塞');
    const before = await hazardRow(h, r.no);
    const since = h.fake.messages.length;
    const { replies } = await h.say(LEADER, `/改派 ${r.no} @_user_1 孙整改已调离`, { mentions: [contact] });
    expect(textOf(replies[0])).toContain(`${r.no} 已改派给 刘联系，整改期限不变。`);
    const after = await hazardRow(h, r.no);
    expect(after).toMatchObject({ status: 'dispatched', assigneeOpenId: CONTACT, deadline: before.deadline, nextNagAt: before.nextNagAt });
    const toNew = dmsTo(h, CONTACT, since).find(isCard)!;
    expect(shown(toNew)).toContain('该隐患已改派给您整改');
    expect(shown(toNew)).toContain(r.no);
    expect(dmsTo(h, FIXER, since).map(textOf).join('\n')).toContain(`${r.no} 已改派给 刘联系 整改，您无需再处理。`);
    // The timeline says who did it and why; the hazard's own card names the new assignee.
    expect((await eventsOf(h, r.no)).at(-1)).toMatchObject({ action: 'reassign', actorOpenId: LEADER, note: '→ 刘联系（孙整改已调离）' });
    const card = await hazardCardMessage(h, r.no);
    expect(shown({ ...card, content: card.patches.at(-1) ?? card.content })).toContain('刘联系');
    // /hazards mine follows the hazard.
    expect(shown((await h.say(CONTACT, '/hazards mine')).replies[0])).toContain(r.no);
    // The Feishu task is the new assignee's.
    expect(taskOf(r.no).members).toEqual(expect.arrayContaining([{ id: CONTACT, role: 'assignee' }]));
    expect(taskOf(r.no).members.some((m) => m.id === FIXER && m.role === 'assignee')).toBe(false);
  });

  it('the inspector who reported it may reassign; another inspector may not, and nothing changes', async () => {
    const r = await dispatched('配电箱未接地');
    const other = await h.say(INSPECTOR2, `/reassign ${r.no} 刘联系`);
    expect(textOf(other.replies[0])).toContain('改派需要以下角色之一：领导、管理员，或上报该隐患的检查员。');
    expect((await hazardRow(h, r.no)).assigneeOpenId).toBe(FIXER);
    const own = await h.say(INSPECTOR, `/调整责任人 ${r.no} 刘联系`);
    expect(textOf(own.replies[0])).toContain('已改派给 刘联系');
    expect((await hazardRow(h, r.no)).assigneeOpenId).toBe(CONTACT);
  });

  it('refuses what cannot be reassigned, saying why, and writes nothing', async () => {
    const reported = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 安全出口上锁`);
    expect(textOf((await h.say(LEADER, `/reassign ${reported.no} @_user_1`, { mentions: [fixer] })).replies[0])).toContain('尚未派单，请用 /dispatch 派单');
    const r = await dispatched('应急照明损坏');
    expect(textOf((await h.say(LEADER, `/reassign ${r.no} @_user_1`, { mentions: [fixer] })).replies[0])).toContain('整改责任人已是 孙整改');
    expect(textOf((await h.say(LEADER, `/reassign ${r.no}`)).replies[0])).toContain('请 @ 新的整改责任人');
    expect(textOf((await h.say(LEADER, '/reassign YH-2026-9999 @_user_1', { mentions: [contact] })).replies[0])).toContain('YH-2026-9999');
    await h.say(FIXER, `/rectify ${r.no} 已更换`);
    expect(textOf((await h.say(LEADER, `/reassign ${r.no} @_user_1`, { mentions: [contact] })).replies[0])).toContain('已不在整改中，不能改派');
    expect((await hazardRow(h, r.no)).assigneeOpenId).toBe(FIXER);
    expect((await eventsOf(h, r.no)).some((e) => e.action === 'reassign')).toBe(false);
  });
});
