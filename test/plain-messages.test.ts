// Plain messages end to end: signed events into the app, the real SDK against the fake Lark. A
// sentence that @-mentions the bot (or any sentence in a direct chat) is understood and answered;
// reports, emergencies and rectifications wait on a confirmation card and confirming them leaves
// the same records and notices as the slash command; photos in the post or sent just before attach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { textOf, startHarness, type Harness } from './support/harness.ts';
import { cardOf, currentCard, findButton, isCard, shown } from './support/cards.ts';
import { ADMIN, CONTACT, dmsTo, FIXER, hazardRow, INSPECTOR, LEADER, MEIHE, OFFICER, reportHazard, startTown } from './support/hazard-helpers.ts';
import { addEnterprise } from './support/seed.ts';
import { enterprises, hazardPhotos, hazards, holidays, incidents, pendingIntents } from '../src/db/schema.ts';
import type { FakeMessage } from '../src/lark/fake/server.ts';
import type { MentionSpec } from '../src/lark/simulate.ts';

const fixer: MentionSpec = { openId: FIXER, name: '孙整改' };

let h: Harness;
const bot = (): MentionSpec => ({ openId: h.fake.botOpenId, name: '安全值守助手' });

/** A group message that @-mentions the bot; people mentioned after it are @_user_2, @_user_3 … */
function tell(who: string, text: string, opts: { people?: MentionSpec[]; chatType?: 'p2p' | 'group'; chatId?: string; postImages?: string[] } = {}) {
  const { people, ...rest } = opts;
  return h.say(who, `@_user_1 ${text}`, { mentions: [bot(), ...(people ?? [])], ...rest });
}

/** The card the bot answered the message with, in its thread. */
function answerCard(r: Awaited<ReturnType<Harness['say']>>): FakeMessage {
  const card = r.replies.find((m) => m.parentId === r.messageId && isCard(m));
  if (!card) throw new Error(`no card in answer: ${r.replies.map(shown).join(' | ')}`);
  return card;
}

function press(who: string, card: FakeMessage, action: string, extra: { formValue?: Record<string, unknown>; value?: Record<string, unknown> } = {}) {
  const value = extra.value ?? findButton(cardOf(card), action);
  if (!value) throw new Error(`no ${action} button on: ${shown(card)}`);
  return h.click({ operatorOpenId: who, value, formValue: extra.formValue, tag: 'button', messageId: card.messageId, chatId: card.chatId });
}

const hazardCount = async () => (await h.db.select().from(hazards)).length;
/** What a report leaves behind that does not depend on its number or its message. */
const recordOf = (row: typeof hazards.$inferSelect) => ({
  enterpriseId: row.enterpriseId,
  level: row.level,
  description: row.description,
  deadline: row.deadline,
  status: row.status,
  reporterOpenId: row.reporterOpenId,
  assigneeOpenId: row.assigneeOpenId,
  sector: row.sector,
  township: row.township,
});
/** Who was sent a direct message among these messages (the notices). */
const noticed = (msgs: FakeMessage[]) => msgs.filter((m) => m.receiveIdType === 'open_id').map((m) => m.receiveId).sort();
const toastOf = (body: Record<string, unknown>) => JSON.stringify(body.toast ?? {});
const cardInBody = (body: Record<string, unknown>) => (body.card as { data: Record<string, unknown> } | undefined)?.data;

beforeAll(async () => {
  h = await startTown({ adminOpenIds: [ADMIN] });
});
afterAll(() => h.close());

describe('a hazard reported in a sentence', () => {
  it('answers with a confirmation card and writes nothing until 登记', async () => {
    const before = await hazardCount();
    const r = await tell(INSPECTOR, '梅河化工储罐区消防通道堵塞，三天内整改');
    const card = answerCard(r);
    const text = shown(card);
    for (const line of ['企业：梅河化工有限公司', '隐患描述：储罐区消防通道堵塞', '级别：一般', '整改期限：2026-12-04', '整改责任人：—', '照片：0 张']) expect(text).toContain(line);
    for (const b of ['intent.confirm', 'intent.edit', 'intent.cancel']) expect(findButton(cardOf(card), b)).toBeDefined();
    expect(text).toContain('登记');
    expect(text).toContain('修改');
    expect(text).toContain('取消');
    expect(await hazardCount()).toBe(before);
  });

  it('登记 does what /report with the same fields does: the same record and the same notices', async () => {
    const slash = await h.say(INSPECTOR, `/report ${MEIHE} 储罐区静电接地线断开 期限:3天 @_user_1`, { mentions: [fixer] });
    const slashNo = /YH-\d{4}-\d{4}/.exec(slash.replies.map(shown).join(' '))![0];

    const r = await tell(INSPECTOR, '梅河化工 储罐区静电接地线断开，三天内整改 @_user_2', { people: [fixer] });
    const card = answerCard(r);
    expect(shown(card)).toContain('整改责任人：孙整改');
    const click = await press(INSPECTOR, card, 'intent.confirm');
    expect(click.res.status).toBe(200);
    expect(toastOf(click.body)).toContain('已上报');
    const plainNo = /YH-\d{4}-\d{4}/.exec(JSON.stringify(cardInBody(click.body)))![0];
    expect(plainNo).not.toBe(slashNo);

    expect(recordOf(await hazardRow(h, plainNo))).toEqual(recordOf(await hazardRow(h, slashNo)));
    // The same people were told: the assignee's dispatch notice (and nobody else) in both cases.
    expect(noticed(click.sent)).toEqual(noticed(slash.replies));
    expect(noticed(click.sent)).toContain(FIXER);
    // The confirmation card became the hazard's card, and the report's thread is the hazard's.
    const row = await hazardRow(h, plainNo);
    expect(row.sourceMessageId).toBe(r.messageId);
    expect(await h.db.select().from(pendingIntents).where(eq(pendingIntents.messageId, r.messageId))).toMatchObject([{ status: 'done', result: plainNo }]);
  });

  it('a second 登记 files nothing more and says what it became', async () => {
    const r = await tell(INSPECTOR, '梅河化工仓库杂物堆放堵塞安全出口 一周内');
    const card = answerCard(r);
    await press(INSPECTOR, card, 'intent.confirm');
    const count = await hazardCount();
    const again = await press(INSPECTOR, card, 'intent.confirm', { value: findButton(cardOf(card), 'intent.confirm') });
    expect(again.res.status).toBe(200);
    expect(toastOf(again.body)).toMatch(/已办理|已上报/);
    expect(await hazardCount()).toBe(count);
  });

  it('取消 writes nothing, and a later 登记 on that card is told it was cancelled', async () => {
    const before = await hazardCount();
    const r = await tell(INSPECTOR, '梅河化工配电室门口堆放杂物，两天内清理');
    const card = answerCard(r);
    const cancel = await press(INSPECTOR, card, 'intent.cancel');
    expect(toastOf(cancel.body)).toContain('已取消');
    expect(JSON.stringify(cardInBody(cancel.body))).toContain('未登记任何内容');
    const late = await press(INSPECTOR, card, 'intent.confirm', { value: findButton(cardOf(card), 'intent.confirm') });
    expect(toastOf(late.body)).toContain('已取消');
    expect(await hazardCount()).toBe(before);
  });

  it('only the person who wrote it may confirm it', async () => {
    const r = await tell(INSPECTOR, '梅河化工装卸区未设置防静电设施，五天内整改');
    const card = answerCard(r);
    const before = await hazardCount();
    const other = await press(LEADER, card, 'intent.confirm');
    expect(toastOf(other.body)).toContain('属于发起命令的人');
    expect(await hazardCount()).toBe(before);
  });

  it('reads 重大 and an @mention, and confirms a major hazard', async () => {
    const r = await tell(INSPECTOR, '梅河化工有限公司液氯储罐区违规动火，重大隐患，月底前整改 @_user_2', { people: [fixer] });
    const text = shown(answerCard(r));
    expect(text).toContain('级别：重大');
    expect(text).toContain('整改期限：2026-12-31');
    expect(text).toContain('整改责任人：孙整改');
  });

  it('refuses a deadline already past, plainly, and keeps nothing pending', async () => {
    const r = await tell(INSPECTOR, '梅河化工消防栓损坏 11月30日前整改');
    expect(r.replies).toHaveLength(1);
    expect(textOf(r.replies[0])).toContain('已经过去');
    expect(await h.db.select().from(pendingIntents).where(eq(pendingIntents.messageId, r.messageId))).toEqual([]);
  });

  it('without a deadline shows the level’s default, as /report files it', async () => {
    const r = await tell(INSPECTOR, '梅河化工中控室应急照明损坏');
    expect(shown(answerCard(r))).toContain('整改期限：2026-12-08（未写期限');
  });

  it('修改 opens the report form pre-filled, and submitting it files the report', async () => {
    const r = await tell(INSPECTOR, '梅河化工罐区围堰破损，3天内整改');
    const card = answerCard(r);
    const edit = await press(INSPECTOR, card, 'intent.edit');
    const form = JSON.stringify(cardInBody(edit.body));
    expect(form).toContain('"default_value":"梅河化工有限公司"');
    expect(form).toContain('"default_value":"罐区围堰破损"');
    expect(form).toContain('"initial_date":"2026-12-04"');
    const submitValue = findButton(cardInBody(edit.body), 'intent.form')!;
    const filed = await press(INSPECTOR, card, 'intent.form', {
      value: submitValue,
      formValue: { enterprise: MEIHE, level: 'major', description: '罐区围堰破损严重', deadline: '2026-12-06 +0800' },
    });
    const no = /YH-\d{4}-\d{4}/.exec(JSON.stringify(cardInBody(filed.body)))![0];
    expect(await hazardRow(h, no)).toMatchObject({ level: 'major', description: '罐区围堰破损严重', sourceMessageId: r.messageId });
  });

  it('an unregistered enterprise is said plainly and filed as /report files it', async () => {
    const r = await tell(INSPECTOR, '新丰五金厂仓库消防通道堵塞 一周内整改');
    const card = answerCard(r);
    expect(shown(card)).toContain('企业：新丰五金厂（未登记');
    const click = await press(INSPECTOR, card, 'intent.confirm');
    const no = /YH-\d{4}-\d{4}/.exec(JSON.stringify(cardInBody(click.body)))![0];
    const [e] = await h.db.select().from(enterprises).where(eq(enterprises.name, '新丰五金厂'));
    expect(e).toMatchObject({ registered: false });
    expect((await hazardRow(h, no)).enterpriseId).toBe(e.id);
    // The admins are asked to complete it, as with /report.
    expect(dmsTo(h, ADMIN).some((m) => shown(m).includes('新丰五金厂') && shown(m).includes('尚未登记'))).toBe(true);
  });

  it('two equally good matches get the pick-one card, then the confirmation', async () => {
    await addEnterprise(h.db, { name: '青石化工有限公司', township: '青石街道' });
    const other = await addEnterprise(h.db, { name: '青石化工厂', township: '青石街道' });
    const r = await tell(INSPECTOR, '青石化工危废间无标识，3天内整改');
    const pick = answerCard(r);
    expect(shown(pick)).toContain('青石化工有限公司');
    expect(shown(pick)).toContain('青石化工厂');
    const picks = JSON.stringify(cardOf(pick));
    expect(picks).toContain('intent.pick');
    const value = { ...findButton(cardOf(pick), 'intent.pick')!, enterpriseId: other };
    const chosen = await press(INSPECTOR, pick, 'intent.pick', { value });
    expect(JSON.stringify(cardInBody(chosen.body))).toContain('企业：青石化工厂');
    const confirm = findButton(cardInBody(chosen.body), 'intent.confirm')!;
    const filed = await press(INSPECTOR, pick, 'intent.confirm', { value: confirm });
    const no = /YH-\d{4}-\d{4}/.exec(JSON.stringify(cardInBody(filed.body)))![0];
    expect((await hazardRow(h, no)).enterpriseId).toBe(other);
  });

  it('matches a registered alias (/enterprise add … 别名:…) and pinyin initials', async () => {
    const add = await h.say(ADMIN, `/enterprise add ${MEIHE} 别名:梅化|河化`);
    expect(textOf(add.replies[0])).toContain('别名');
    expect(shown(answerCard(await tell(INSPECTOR, '梅化 罐区喷淋系统失效 两天内')))).toContain(`企业：${MEIHE}`);
    expect(shown(answerCard(await tell(INSPECTOR, 'mhhg 罐区喷淋系统失效 两天内')))).toContain(`企业：${MEIHE}`);
    expect(shown(answerCard(await tell(INSPECTOR, '梅和化工 罐区喷淋系统失效 两天内')))).toContain(`企业：${MEIHE}`);
  });

  it('in a direct chat the same sentence is understood (no 未知命令)', async () => {
    const r = await h.say(INSPECTOR, '梅河化工储罐区消防通道堵塞，三天内整改', { chatType: 'p2p' });
    const text = shown(answerCard(r));
    expect(text).toContain('企业：梅河化工有限公司');
    expect(text).not.toContain('未知命令');
  });

  it('N个工作日内 counts from the holidays table', async () => {
    await h.db.insert(holidays).values([
      { date: '2026-12-07', kind: 'holiday', name: '测试假日' },
      { date: '2026-12-05', kind: 'workday', name: '测试调休' },
    ]);
    // Tue 12-01: Wed 12-02, Thu 12-03, Fri 12-04, Sat 12-05 (调休), then Mon 12-07 is off, Tue 12-08.
    const r = await tell(INSPECTOR, '梅河化工应急物资柜过期 5个工作日内');
    expect(shown(answerCard(r))).toContain('整改期限：2026-12-08');
    await h.db.delete(holidays);
  });
});

describe('photos with a plain report', () => {
  const photosOf = async (no: string) => {
    const row = await hazardRow(h, no);
    return h.db.select().from(hazardPhotos).where(eq(hazardPhotos.hazardId, row.id)).orderBy(hazardPhotos.id);
  };

  it('a post with two images attaches both', async () => {
    const r = await tell(INSPECTOR, '梅河化工 储罐区防火堤破损，三天内整改', { postImages: ['img_v2_post_a', 'img_v2_post_b'] });
    const card = answerCard(r);
    expect(shown(card)).toContain('照片：2 张');
    const click = await press(INSPECTOR, card, 'intent.confirm');
    const no = /YH-\d{4}-\d{4}/.exec(JSON.stringify(cardInBody(click.body)))![0];
    expect(await photosOf(no)).toMatchObject([
      { imageKey: 'img_v2_post_a', messageId: r.messageId, uploadedBy: INSPECTOR },
      { imageKey: 'img_v2_post_b', messageId: r.messageId, uploadedBy: INSPECTOR },
    ]);
    expect(JSON.stringify(cardInBody(click.body))).toContain('2 张');
  });

  it('a photo sent before the text attaches; one sent more than ten minutes before does not', async () => {
    const old = await h.say(INSPECTOR, '', { imageKey: 'img_v2_too_old' });
    expect(old.replies).toHaveLength(0);
    h.advance(11 * 60_000);
    const img = await h.say(INSPECTOR, '', { imageKey: 'img_v2_before' });
    expect(img.replies).toHaveLength(0);
    const r = await tell(INSPECTOR, '梅河化工 消防水池液位计损坏，一周内整改');
    const card = answerCard(r);
    expect(shown(card)).toContain('照片：1 张');
    const click = await press(INSPECTOR, card, 'intent.confirm');
    const no = /YH-\d{4}-\d{4}/.exec(JSON.stringify(cardInBody(click.body)))![0];
    expect(await photosOf(no)).toMatchObject([{ imageKey: 'img_v2_before', messageId: img.messageId }]);
    // Attached once: the next report does not take it again.
    const next = await tell(INSPECTOR, '梅河化工 消防水带老化，一周内整改');
    expect(shown(answerCard(next))).toContain('照片：0 张');
  });

  it('a photo sent by someone else, or in another chat, does not attach', async () => {
    await h.say(LEADER, '', { imageKey: 'img_v2_leader' });
    await h.say(INSPECTOR, '', { imageKey: 'img_v2_elsewhere', chatId: 'oc_other_group' });
    const r = await tell(INSPECTOR, '梅河化工 泵房地面油污，三天内清理');
    expect(shown(answerCard(r))).toContain('照片：0 张');
  });

  it('in a direct chat a photo alone is acknowledged and attaches to the report that follows', async () => {
    const img = await h.say(INSPECTOR, '', { imageKey: 'img_v2_dm_photo', chatType: 'p2p' });
    expect(textOf(img.replies[0])).toContain('收到照片');
    const r = await h.say(INSPECTOR, '梅河化工 储罐呼吸阀锈蚀 5天内整改', { chatType: 'p2p' });
    expect(shown(answerCard(r))).toContain('照片：1 张');
  });
});

describe('the pending confirmation survives a restart', () => {
  it('a card answered before a restart still files after it', async () => {
    const t = await startTown({ adminOpenIds: [ADMIN] });
    const r = await t.say(INSPECTOR, '@_user_1 梅河化工 罐区可燃气体报警器失灵，两天内', { mentions: [{ openId: t.fake.botOpenId, name: '安全值守助手' }] });
    const card = r.replies.find((m) => m.parentId === r.messageId && isCard(m))!;
    await t.close({ keepDb: true, keepFake: true });
    const again = await startHarness({ dbPath: t.dbPath, fake: t.fake, start: t.now, adminOpenIds: [ADMIN] });
    try {
      const click = await again.click({ operatorOpenId: INSPECTOR, value: findButton(cardOf(card), 'intent.confirm')!, tag: 'button', messageId: card.messageId, chatId: card.chatId });
      expect(toastOf(click.body)).toContain('已上报');
      expect(await again.db.select().from(hazards).where(eq(hazards.sourceMessageId, r.messageId))).toHaveLength(1);
    } finally {
      await again.close();
      await t.fake.close();
    }
  });
});

describe('questions are answered like the commands', () => {
  it('今天谁值班 answers as /duty today; 本周值班表 as /duty week', async () => {
    const plain = await tell(OFFICER, '今天谁值班');
    const slash = await h.say(OFFICER, '/duty today');
    expect(shown(plain.replies[0])).toBe(shown(slash.replies[0]));
    const week = await tell(OFFICER, '本周值班表');
    expect(shown(week.replies[0])).toBe(shown((await h.say(OFFICER, '/duty week')).replies[0]));
    const tonight = await tell(OFFICER, '今晚谁带班');
    expect(shown(tonight.replies[0])).toBe(shown((await h.say(OFFICER, '/duty tonight')).replies[0]));
    const sat = await tell(OFFICER, '周六值班的是谁');
    expect(shown(sat.replies[0])).toBe(shown((await h.say(OFFICER, '/duty 2026-12-05')).replies[0]));
  });

  it('本月统计 answers as /stats 本月, for the roles /stats allows', async () => {
    const plain = await tell(LEADER, '上个月各乡镇隐患情况');
    const slash = await h.say(LEADER, '/stats 上月 按乡镇');
    expect(shown(plain.replies.find(isCard)!)).toBe(shown(slash.replies.find(isCard)!));
    const contact = await tell(CONTACT, '本月统计');
    expect(textOf(contact.replies[0])).toContain('/stats');
    expect(contact.replies.some(isCard)).toBe(false);
  });

  it('我的隐患 answers as /hazards mine', async () => {
    const plain = await tell(FIXER, '我还有哪些没整改');
    const slash = await h.say(FIXER, '/hazards mine');
    expect(shown(plain.replies[0])).toBe(shown(slash.replies[0]));
  });

  it('逾期的隐患有哪些 answers as /hazards overdue, 还有哪些隐患没整改 as /hazards open, and about one enterprise as its list', async () => {
    const overdue = await tell(LEADER, '逾期的隐患有哪些？');
    expect(shown(overdue.replies[0])).toBe(shown((await h.say(LEADER, '/hazards overdue')).replies[0]));
    const open = await tell(LEADER, '还有哪些隐患没整改');
    expect(shown(open.replies[0])).toBe(shown((await h.say(LEADER, '/hazards open')).replies[0]));
    const supervised = await tell(LEADER, '看看挂牌督办的隐患清单');
    expect(shown(supervised.replies[0])).toBe(shown((await h.say(LEADER, '/hazards supervised')).replies[0]));
    const meihe = await tell(LEADER, '梅河化工还有哪些隐患没整改？');
    expect(shown(meihe.replies[0])).toBe(shown((await h.say(LEADER, `/hazards ${MEIHE}`)).replies[0]));
    // A list question records nothing.
    expect(meihe.replies.some((m) => shown(m).includes('请确认'))).toBe(false);
  });

  it('a broken leak alarm is a hazard to put right, not a leak; an alarm going off is an emergency', async () => {
    const broken = await tell(INSPECTOR, '梅河化工门站的泄漏报警器坏了两个，今天必须修好');
    expect(shown(answerCard(broken))).toContain('请确认：登记隐患');
    const extinguishers = await tell(INSPECTOR, '梅河化工仓库的灭火器过期了，消火栓被货物挡住');
    expect(shown(answerCard(extinguishers))).toContain('请确认：登记隐患');
    const ringing = await tell(OFFICER, '梅河化工的可燃气体报警器响了，现场有很大气味');
    expect(shown(answerCard(ringing))).toContain('请确认：上报险情');
  });

  it('news that an emergency is over (山火已扑灭) lists the open incidents instead of reporting a new one', async () => {
    const over = await tell(OFFICER, '柳溪乡北山山火已经扑灭了');
    expect(shown(over.replies[0])).toBe(shown((await h.say(OFFICER, '/incidents')).replies[0]));
    expect(over.replies.some((m) => shown(m).includes('请确认：上报险情'))).toBe(false);
    // Still burning is still an emergency.
    const again = await tell(OFFICER, '柳溪乡北山山火已扑灭又复燃了，请求支援');
    expect(shown(answerCard(again))).toContain('请确认：上报险情');
  });

  it('an unknown sentence gets the help line and the likeliest commands', async () => {
    const r = await tell(INSPECTOR, '今天天气不错');
    expect(r.replies).toHaveLength(1);
    const text = textOf(r.replies[0]);
    expect(text).toContain('没看懂这条消息。您可以说：“XX公司 仓库消防通道堵塞 三天内整改”，或发送 /help。');
    expect((text.match(/\/(report|duty|stats|incident|hazards)\b/g) ?? []).length).toBeGreaterThanOrEqual(2);
  });
});

describe('an emergency in a sentence', () => {
  it('shows 类型/地点/级别/描述; 上报险情 does what /incident does; 取消 writes nothing', async () => {
    const r = await tell(OFFICER, '城东加油站燃气泄漏');
    const card = answerCard(r);
    const text = shown(card);
    for (const line of ['类型：生产安全事故', '地点：城东加油站', '级别：一般', '描述：城东加油站燃气泄漏']) expect(text).toContain(line);
    expect(text).toContain('上报险情');
    expect(await h.db.select().from(incidents)).toHaveLength(0);

    const click = await press(OFFICER, card, 'intent.confirm');
    expect(toastOf(click.body)).toContain('已上报险情');
    const slash = await h.say(OFFICER, '/incident 生产安全事故 城东加油站 城东加油站燃气泄漏');
    const rows = await h.db.select().from(incidents).orderBy(incidents.id);
    expect(rows).toHaveLength(2);
    const shape = (x: typeof incidents.$inferSelect) => ({ type: x.type, location: x.location, description: x.description, severity: x.severity, status: x.status, reporterOpenId: x.reporterOpenId, sourceChatId: x.sourceChatId });
    expect(shape(rows[0])).toEqual(shape(rows[1]));
    expect(rows[0].sourceMessageId).toBe(r.messageId);
    // The same answer in the report's thread as /incident gives.
    const plainAnswer = click.sent.find((m) => m.parentId === r.messageId && !isCard(m))!;
    const slashAnswer = slash.replies.find((m) => !isCard(m))!;
    expect(textOf(plainAnswer).replace(/XQ-\d{4}-\d{4}/g, 'XQ')).toBe(textOf(slashAnswer).replace(/XQ-\d{4}-\d{4}/g, 'XQ'));

    const second = await tell(OFFICER, '红梅镇河堤出现管涌');
    const card2 = answerCard(second);
    expect(shown(card2)).toContain('类型：防汛');
    expect(shown(card2)).toContain('地点：红梅镇河堤');
    await press(OFFICER, card2, 'intent.cancel');
    expect(await h.db.select().from(incidents)).toHaveLength(2);
  });

  it('山火 is 森林防火, with the place before 发生', async () => {
    const text = shown(answerCard(await tell(OFFICER, '柳溪乡北山发生山火，面积约5亩')));
    expect(text).toContain('类型：森林防火');
    expect(text).toContain('地点：柳溪乡北山');
  });
});

describe('done: a rectification in a sentence', () => {
  it('YH-… 已整改完成 gets a confirmation card for /rectify; confirming does what /rectify does', async () => {
    const a = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 防爆灯具损坏 @_user_1`, { mentions: [fixer] });
    const b = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 防爆灯具缺失 @_user_1`, { mentions: [fixer] });
    const r = await h.say(FIXER, `${a.no} 已整改完成，灯具已更换`, { chatType: 'p2p' });
    const card = answerCard(r);
    expect(shown(card)).toContain(`隐患：${a.no}`);
    expect(shown(card)).toContain('当前状态：整改中');
    expect(shown(card)).toContain('整改说明：灯具已更换');
    expect((await hazardRow(h, a.no)).status).toBe('dispatched');
    const click = await press(FIXER, card, 'intent.confirm');
    expect(toastOf(click.body)).toContain('已提交整改');
    const slash = await h.say(FIXER, `/rectify ${b.no} 灯具已更换`);
    expect((await hazardRow(h, a.no)).status).toBe('rectified');
    expect(noticed(click.sent)).toEqual(noticed(slash.replies));
    expect(currentCard(a.card)).toContain('待复查');
  });

  it('a major hazard’s rectification with a photo in the post counts the photo', async () => {
    const a = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 液氨管道法兰泄漏 级别:重大 @_user_1`, { mentions: [fixer] });
    const r = await h.say(FIXER, `${a.no} 整改完成`, { chatType: 'p2p', postImages: ['img_v2_fixed_flange'] });
    const card = answerCard(r);
    expect(shown(card)).toContain('照片：1 张');
    await press(FIXER, card, 'intent.confirm');
    expect((await hazardRow(h, a.no)).status).toBe('rectified');
    const row = await hazardRow(h, a.no);
    expect(await h.db.select().from(hazardPhotos).where(and(eq(hazardPhotos.hazardId, row.id), eq(hazardPhotos.imageKey, 'img_v2_fixed_flange')))).toHaveLength(1);
  });

  it('the fixer saying what was done (报警器已经更换好了，已接入监控平台) is a rectification too, not a look at the card', async () => {
    const a = await reportHazard(h, INSPECTOR, `/report ${MEIHE} 可燃气体报警器失效 @_user_1`, { mentions: [fixer] });
    for (const said of ['报警器已经更换好了，已接入监控平台', '消防通道已清理', '已经换好了新的灭火器']) {
      const card = answerCard(await h.say(FIXER, `${a.no} ${said}`, { chatType: 'p2p' }));
      expect(shown(card)).toContain(`请确认：${a.no} 整改完成`);
      expect(shown(card)).toContain(`整改说明：${said}`);
    }
    expect((await hazardRow(h, a.no)).status).toBe('dispatched');
  });

  it('an unknown number is refused plainly', async () => {
    const r = await h.say(FIXER, 'YH-2026-0999 已整改', { chatType: 'p2p' });
    expect(textOf(r.replies[0])).toContain('没有编号为 YH-2026-0999 的隐患');
  });
});

describe('a working-day deadline that reaches a year with no holiday calendar', () => {
  it('says so on the card and tells each admin once, never counting that year as if it had no holidays', async () => {
    // 2026 is loaded (one row is enough to count as loaded); 2027 is not.
    await h.db.insert(holidays).values({ date: '2026-10-01', kind: 'holiday', name: '国庆节' }).onConflictDoNothing();
    h.setNow(new Date('2026-12-24T02:00:00Z')); // Thursday 10:00 in Beijing
    const since = h.fake.messages.length;
    const first = await tell(INSPECTOR, '梅河化工储罐区消防通道堵塞，十个工作日内整改');
    const text = shown(answerCard(first));
    expect(text).toContain('2027年节假日安排尚未导入，请管理员导入（npm run import -- holidays 文件）。');
    expect(text).not.toContain('2026年节假日');
    await tell(INSPECTOR, '梅河化工仓库灭火器过期，十五个工作日内整改');
    await h.settle();
    const notices = dmsTo(h, ADMIN, since).filter((m) => shown(m).includes('2027年节假日安排未导入'));
    expect(notices).toHaveLength(1);
    // A deadline in calendar days needs no calendar: no warning.
    const plain = await tell(INSPECTOR, '梅河化工配电室堆放杂物，十天内整改');
    expect(shown(answerCard(plain))).not.toContain('节假日安排尚未导入');
  });
});
