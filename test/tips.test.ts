// 12350 tip-offs (issue 17): 受理 with a JB-YYYY-NNNN number, 交办 on the card, 核查 属实 (turned
// into linked hazards with source tip) or 不属实, 反馈 and 办结; the phone only for admins and the
// assigned inspector; overdue tips in the overdue nags; /tips; and /stats counting them.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hazards, tips } from '../src/db/schema.ts';
import overdueNags from '../jobs/overdue-nags.ts';
import { textOf, type Harness } from './support/harness.ts';
import { cardJson, cardText, findButton, shown } from './support/cards.ts';
import { checkCardResponse } from './support/card-check.ts';
import { runJob } from './support/roster-helpers.ts';
import { ADMIN, dmsTo, INSPECTOR, INSPECTOR2, LEADER, MEIHE, OFFICER, startTown } from './support/hazard-helpers.ts';
import type { FakeMessage } from '../src/lark/fake/server.ts';

let h: Harness;
beforeAll(async () => {
  h = await startTown({ start: new Date('2026-12-01T01:00:00Z') });
});
afterAll(() => h.close());

const text = (r: { replies: FakeMessage[] }) => r.replies.map(shown).join('\n');
const PHONE = '13912345678';
const tipRow = async (no: string) => (await h.db.select().from(tips).where(eq(tips.no, no)))[0];

async function press(who: string, m: FakeMessage, action: string, formValue?: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const content = m.patches.at(-1) ?? m.content;
  const candidates = [findButton(cardJson(content), action)];
  const value = { ...candidates[0]!, ...extra };
  const r = await h.click({ operatorOpenId: who, value, formValue, messageId: m.messageId, chatId: m.chatId });
  expect(checkCardResponse(r.body)).toEqual([]);
  const card = (r.body.card as { data?: Record<string, unknown> } | undefined)?.data;
  return { toast: (r.body.toast as { content: string } | undefined)?.content ?? '', cardText: card ? cardText(card) : '' };
}

describe('12350 tips', () => {
  it('受理 → 交办 on the card → 核查属实 into linked hazards → 反馈, the phone never on a shared card', async () => {
    const refused = await h.say(LEADER, `/tip 某厂夜间偷排`);
    expect(text(refused)).toContain('受理群众举报需要');
    const r = await h.say(OFFICER, `/举报 仓库违规存放液化气钢瓶 企业:${MEIHE} 乡镇:红梅镇 举报人电话:${PHONE}`);
    const card = r.replies[0];
    expect(shown(card)).toContain('JB-2026-0001 群众举报 · 已受理');
    expect(card.content).not.toContain(PHONE);
    expect(await tipRow('JB-2026-0001')).toMatchObject({ status: 'received', tipsterPhone: PHONE, enterpriseName: MEIHE, receivedBy: OFFICER });

    const notLeader = await press(OFFICER, card, 'tip.assign', { assignee: INSPECTOR });
    expect(notLeader.toast).toContain('交办举报需要管理员或领导');
    const assigned = await press(LEADER, card, 'tip.assign', { assignee: INSPECTOR });
    expect(assigned.toast).toContain('已交办');
    const row = await tipRow('JB-2026-0001');
    expect(row).toMatchObject({ status: 'assigned', assigneeOpenId: INSPECTOR, assignedBy: LEADER });
    expect(row.deadline).toBe(Date.UTC(2026, 11, 8, 15, 59)); // 23:59 local on the 7th day
    const toInspector = dmsTo(h, INSPECTOR).map(shown).join('\n');
    expect(toInspector).toContain('您被交办核查此群众举报');
    expect(toInspector).toContain(PHONE);
    expect(dmsTo(h, LEADER).map(shown).join('\n')).not.toContain(PHONE);

    // The phone: to admins and the assigned inspector, in a direct message only.
    const inGroup = await h.say(INSPECTOR2, '/tip JB-2026-0001');
    expect(text(inGroup)).not.toContain(PHONE);
    const admin = await h.say(ADMIN, '/tip JB-2026-0001', { chatType: 'p2p' });
    expect(text(admin)).toContain(PHONE);
    const leader = await h.say(LEADER, '/tip JB-2026-0001', { chatType: 'p2p' });
    expect(text(leader)).not.toContain(PHONE);

    const wrong = await h.say(INSPECTOR2, '/tip JB-2026-0001 属实 钢瓶堆放');
    expect(text(wrong)).toContain('由交办的检查员核查');
    const checked = await h.say(INSPECTOR, '/tip JB-2026-0001 属实 液化气钢瓶露天堆放；钢瓶间无通风');
    expect(text(checked)).toContain('核查属实');
    const found = await h.db.select().from(hazards).where(eq(hazards.tipId, row.id));
    expect(found.map((x) => [x.description, x.source])).toEqual([['液化气钢瓶露天堆放', 'tip'], ['钢瓶间无通风', 'tip']]);

    const early = await h.say(INSPECTOR, '/tip JB-2026-0001');
    expect(text(early)).not.toContain('反馈：');
    await h.say(INSPECTOR, '/tip JB-2026-0001 反馈 已电话告知举报人查处结果');
    expect(await tipRow('JB-2026-0001')).toMatchObject({ status: 'closed', feedback: '已电话告知举报人查处结果', substantiated: true });
  });

  it('不属实 needs a reason; overdue tips are nagged; /tips lists open and overdue', async () => {
    await h.say(INSPECTOR, `/tip 有人在河道非法采砂`);
    await h.say(ADMIN, '/tip JB-2026-0002 交办 @_user_1 期限:2天', { mentions: [{ openId: INSPECTOR2, name: '赵磊' }] });
    expect(text(await h.say(INSPECTOR2, '/tip JB-2026-0002 不属实'))).toContain('请写明不属实的理由');
    const open = text(await h.say(LEADER, '/tips'));
    expect(open).toContain('JB-2026-0002');
    expect(open).not.toContain('JB-2026-0001');

    const later = new Date('2026-12-04T02:05:00Z'); // 10:05 local, a day past the deadline
    const { sent } = await runJob(h, overdueNags, later);
    const nag = sent.filter((m) => m.receiveId === INSPECTOR2).map(shown).join('\n');
    expect(nag).toContain('群众举报逾期未核查');
    expect(nag).toContain('JB-2026-0002');
    expect(text(await h.say(LEADER, '/tips overdue'))).toContain('JB-2026-0002 已交办（逾期）');
    const again = await runJob(h, overdueNags, new Date('2026-12-04T03:05:00Z'));
    expect(again.sent.filter((m) => m.receiveId === INSPECTOR2)).toHaveLength(0);

    await h.say(INSPECTOR2, '/tip JB-2026-0002 不属实 现场核实无采砂痕迹');
    expect(await tipRow('JB-2026-0002')).toMatchObject({ status: 'verified', substantiated: false, verifyNote: '现场核实无采砂痕迹' });
  });

  it('/stats counts tips received, substantiated and turned into hazards', async () => {
    const card = cardText((await h.say(LEADER, '/stats 本月')).replies[0].content);
    expect(card).toContain('**群众举报（12350）** 受理 **2** 件，核查属实 **1** 件、不属实 **1** 件，转为隐患 **2** 条');
    expect(card).toContain('群众举报 2 条');
  });
});
