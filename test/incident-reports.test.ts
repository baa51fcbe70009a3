// 信息报送: deadlines from the incident's level, the reminder at 50 minutes and the missed-deadline
// notice at 60, 首报 / 续报一 / 续报二 / 终报 texts in the order they are pasted upward, the card's
// record of each report, and /stats' on-time share and median time to 首报.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { addPerson } from './support/seed.ts';
import { bj, runJob } from './support/roster-helpers.ts';
import { currentCard, shown } from './support/cards.ts';
import { chatBindings, escalations, incidentReports, incidents, jobRuns, outbox, sequences, shifts } from '../src/db/schema.ts';
import { findJob } from '../jobs/index.ts';
import { chineseNumber, firstDueAt } from '../src/domain/incident-reports.ts';
import { DEFAULT_REPORTING } from '../src/settings.ts';

const LEADER = 'ou_r_zhangwei';
const OFFICER = 'ou_r_sunli';
const DUTY_CHAT = 'oc_r_duty';
const job = findJob('report-deadlines')!;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ start: bj('2026-12-02T02:59:59') });
  await addPerson(h.db, LEADER, '张伟', 'leader', { mobile: '13900000001' });
  await addPerson(h.db, OFFICER, '孙丽', 'officer', { mobile: '13900000006' });
  await h.db.insert(chatBindings).values({ kind: 'duty', name: '', chatId: DUTY_CHAT, boundAt: 0 });
});
afterAll(() => h.close());
beforeEach(async () => {
  for (const t of [incidentReports, escalations, incidents, sequences, shifts, outbox, jobRuns]) await h.db.delete(t);
  h.fake.reset();
  const start = bj('2026-12-01T08:30:00').getTime();
  const end = bj('2026-12-02T08:30:00').getTime();
  await h.db.insert(shifts).values([
    { role: 'leader', personOpenId: LEADER, start, end, origin: 'imported', createdAt: 0, updatedAt: 0 },
    { role: 'officer', personOpenId: OFFICER, start, end, origin: 'imported', createdAt: 0, updatedAt: 0 },
  ]);
});

/** Recorded at 03:00:00 by the officer in the duty chat. */
async function record(level = '一般') {
  h.setNow(bj('2026-12-02T02:59:59'));
  const r = await h.say(OFFICER, `/incident 生产安全事故 红梅镇梅河化工 储罐区泄漏起火 级别:${level}`, { chatId: DUTY_CHAT });
  return /XQ-\d{4}-\d{4}/.exec(r.replies.map((m) => m.content).join('\n'))![0];
}
const at = (hhmm: string, day = '02') => bj(`2026-12-${day}T${hhmm}:00`);
const say = async (text: string, when: Date, as = OFFICER) => {
  h.setNow(new Date(when.getTime() - 1000));
  return (await h.say(as, text, { chatId: DUTY_CHAT })).replies;
};

describe('reporting deadlines', () => {
  it('首报 is due 60 minutes after recording (30 for 较大 and above)', () => {
    const t = bj('2026-12-02T03:00:00').getTime();
    expect(firstDueAt({ reportedAt: t, severity: 'general' }, DEFAULT_REPORTING) - t).toBe(60 * 60_000);
    for (const s of ['larger', 'major', 'especially_major']) expect(firstDueAt({ reportedAt: t, severity: s }, DEFAULT_REPORTING) - t).toBe(30 * 60_000);
    expect([1, 2, 10, 11, 20, 23].map(chineseNumber)).toEqual(['一', '二', '十', '十一', '二十', '二十三']);
  });

  it('reminds the duty officer at 50 minutes and tells the leader on duty and the duty chat at 60, once each', async () => {
    const no = await record();
    expect((await runJob(h, job, at('03:49'))).sent).toHaveLength(0);
    const remind = await runJob(h, job, at('03:50'));
    expect(remind.sent.map((m) => m.receiveId)).toEqual([OFFICER]);
    expect(textOf(remind.sent[0])).toContain(`${no} 生产安全事故险情（红梅镇梅河化工）的首报应于 12-02 04:00 前报送，还剩 10 分钟`);
    expect((await runJob(h, job, at('03:55'))).sent).toHaveLength(0);
    const missed = await runJob(h, job, at('04:00'));
    expect(missed.sent.map((m) => m.receiveId ?? m.chatId).sort()).toEqual([DUTY_CHAT, LEADER].sort());
    expect(textOf(missed.sent[0])).toContain('首报已超时：应于 12-02 04:00 前报送');
    expect((await runJob(h, job, at('04:01'))).sent).toHaveLength(0);
    // Reported late at 04:05: the card says so, and the next deadline is a 续报 24 hours on.
    const replies = await say(`/incident ${no} 首报`, at('04:05'));
    expect(textOf(replies.find((m) => m.msgType === 'text')!)).toContain('首报已记录（超时，应于 12-02 04:00 前）');
    const card = currentCard(h.fake.messages.find((m) => m.chatId === DUTY_CHAT && m.msgType === 'interactive')!);
    expect(card).toContain('首报 12-02 04:05 ⚠️ 超时');
    expect(card).toContain('待报：续报一，应于 12-03 04:05 前');
    expect((await runJob(h, job, at('04:10'))).sent).toHaveLength(0);
    expect((await runJob(h, job, at('03:55', '03'))).sent.map(textOf)[0]).toContain('续报一应于 12-03 04:05 前报送');
  });

  it('a 较大 incident’s 首报 is due in 30 minutes: reminded at 20', async () => {
    await record('较大');
    expect((await runJob(h, job, at('03:20'))).sent.map((m) => m.receiveId)).toEqual([OFFICER]);
  });

  it('首报, 续报一, 续报二 and 终报: texts in order, figures per report, the latest on the card; /stats counts 首报 on time', async () => {
    const no = await record('较大');
    const first = textOf((await say(`/incident ${no} 首报 死亡:0 受伤:2`, at('03:20'))).find((m) => m.msgType === 'text')!);
    expect(first).toContain('首报已记录（按时，应于 12-02 03:30 前）');
    const order = ['【首报】', '一、时间：2026-12-02 03:00', '二、地点：红梅镇梅河化工', '三、单位/区域：', '四、类型和级别：生产安全事故，较大', '五、简要经过：储罐区泄漏起火', '六、人员伤亡及转移安置：死亡 0 人、受伤 2 人、失联 不详 人；转移安置 不详 人', '七、已采取措施：', '八、下步打算：', '九、报告人和电话：孙丽 13900000006'];
    let pos = -1;
    for (const part of order) {
      const p = first.indexOf(part);
      expect(p, part).toBeGreaterThan(pos);
      pos = p;
    }
    // A second 首报 is refused and changes nothing.
    expect(textOf((await say(`/incident ${no} 首报`, at('03:25')))[0])).toContain('首报已于 12-02 03:20 报送');

    const one = textOf((await say(`/incident ${no} 续报 明火已扑灭，正在冷却 受伤:3 转移:120`, at('09:00'))).find((m) => m.msgType === 'text')!);
    expect(one).toContain('【续报一】');
    expect(one).toContain('五、简要经过：储罐区泄漏起火。明火已扑灭，正在冷却');
    expect(one).toContain('死亡 0 人、受伤 3 人、失联 不详 人；转移安置 120 人');
    const two = textOf((await say(`/incident ${no} 续报 现场清理完毕 失联:0`, at('12:00'))).find((m) => m.msgType === 'text')!);
    expect(two).toContain('【续报二】');
    expect(two).toContain('死亡 0 人、受伤 3 人、失联 0 人；转移安置 120 人');
    expect(textOf((await say(`/incident ${no} 续报 受伤:abc`, at('12:05')))[0])).toContain('受伤人数应为整数');

    const card = currentCard(h.fake.messages.find((m) => m.chatId === DUTY_CHAT && m.msgType === 'interactive')!);
    for (const line of ['首报 12-02 03:20 ✅ 按时', '续报一 12-02 09:00 ✅ 按时', '续报二 12-02 12:00 ✅ 按时', '待报：续报三，应于 12-03 12:00 前', '人员伤亡（最新）** 死亡 0 人、受伤 3 人、失联 0 人；转移安置 120 人']) expect(card).toContain(line);

    const close = (await say(`/incident ${no} 结束 火灾扑灭，无新增伤亡 受伤:3`, at('15:00'), LEADER)).filter((m) => m.msgType === 'text').map(textOf).join('\n');
    expect(close).toContain('【终报】');
    expect(close).toContain('八、下步打算：处置结束：火灾扑灭，无新增伤亡');
    expect(close).toContain('九、报告人和电话：张伟 13900000001');
    const closed = currentCard(h.fake.messages.find((m) => m.chatId === DUTY_CHAT && m.msgType === 'interactive')!);
    expect(closed).toContain('终报 12-02 15:00 ✅ 按时');
    expect(closed).not.toContain('待报');
    // Closed: no more deadlines.
    expect((await runJob(h, job, at('11:55', '03'))).sent).toHaveLength(0);

    // A second incident's 首报 is late: /stats shows half on time and the median minutes to 首报 ((20 + 70) / 2 = 45).
    const late = await record('一般');
    await say(`/incident ${late} 首报`, at('04:10'));
    const stats = (await say('/stats 本月', at('16:00'), LEADER)).map(shown).join('\n');
    expect(stats).toContain('首报按时率 **50%**');
    expect(stats).toContain('接报→首报 中位 **45分**');
  });
});
