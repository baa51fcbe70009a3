import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { textOf, type Harness } from './support/harness.ts';
import { cardJson, currentCard, findButton, shown } from './support/cards.ts';
import {
  cardProblems,
  CONFIG_ADMIN,
  dmsTo,
  eventsOf,
  FIXER,
  hazardCardMessage,
  hazardRow,
  INSPECTOR,
  LEADER,
  MEIHE,
  reportHazard,
  startTown,
} from './support/hazard-helpers.ts';
import { hazardPhotos } from '../src/db/schema.ts';

const fixer = { openId: FIXER, name: '孙整改' };

const report = (h: Harness, text: string, opts: Parameters<Harness['say']>[2] = {}) => reportHazard(h, INSPECTOR, text, opts);

const photosOf = async (h: Harness, no: string) => {
  const row = await hazardRow(h, no);
  return h.db.select().from(hazardPhotos).where(eq(hazardPhotos.hazardId, row.id));
};

describe('photo evidence', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTown({ adminOpenIds: [CONFIG_ADMIN] });
  });
  afterAll(() => h.close());

  it('an image sent as a reply to the hazard card attaches to that hazard, and the card shows it', async () => {
    const r = await report(h, `/report ${MEIHE} 储罐区静电接地断开`);
    const img = await h.say(FIXER, '', { imageKey: 'img_v2_ground_1', parentId: r.card.messageId, rootId: r.messageId });
    expect(img.replies).toHaveLength(1);
    expect(textOf(img.replies[0])).toContain(`已附照片到 ${r.no}（共 1 张）`);
    expect(textOf(img.replies[0])).toContain(`Photo attached to ${r.no}`);
    expect(await photosOf(h, r.no)).toMatchObject([{ imageKey: 'img_v2_ground_1', messageId: img.messageId, uploadedBy: FIXER }]);
    expect((await eventsOf(h, r.no)).at(-1)).toMatchObject({ action: 'photo', actorOpenId: FIXER, fromStatus: null, toStatus: null });
    expect(currentCard(r.card)).toContain('1 张');
  });

  it('an image anywhere in the hazard’s thread attaches too, and the same image only once', async () => {
    const r = await report(h, `/report ${MEIHE} 消防通道堵塞`);
    const inThread = await h.say(INSPECTOR, '', { imageKey: 'img_v2_corridor', rootId: r.messageId, parentId: r.messageId });
    expect(textOf(inThread.replies[0])).toContain(`已附照片到 ${r.no}`);
    // A reply to the bot's "photo attached" answer is still this hazard's thread.
    const onReply = await h.say(INSPECTOR, '', { imageKey: 'img_v2_corridor_2', rootId: r.messageId, parentId: inThread.replies[0].messageId });
    expect(textOf(onReply.replies[0])).toContain('共 2 张');
    const again = await h.say(INSPECTOR, '', { imageKey: 'img_v2_corridor', rootId: r.messageId, parentId: r.card.messageId });
    expect(again.replies).toHaveLength(0);
    expect(await photosOf(h, r.no)).toHaveLength(2);
  });

  it('an image replying to a notice the bot sent attaches to its hazard', async () => {
    const r = await report(h, `/report ${MEIHE} 装卸区未设防静电设施 @_user_1`, { mentions: [fixer] });
    const notice = dmsTo(h, FIXER).find((m) => shown(m).includes(r.no))!;
    const img = await h.say(FIXER, '', { chatType: 'p2p', imageKey: 'img_v2_static', parentId: notice.messageId, rootId: notice.messageId });
    expect(textOf(img.replies[0])).toContain(`已附照片到 ${r.no}`);
    expect(await photosOf(h, r.no)).toHaveLength(1);
  });

  it('an image outside any hazard’s thread is ignored silently', async () => {
    const before = (await h.db.select().from(hazardPhotos)).length;
    const plain = await h.say(FIXER, '', { imageKey: 'img_v2_cat' });
    expect(plain.replies).toHaveLength(0);
    const chatter = await h.say(FIXER, '大家好');
    const reply = await h.say(FIXER, '', { imageKey: 'img_v2_cat_2', parentId: chatter.messageId, rootId: chatter.messageId });
    expect(reply.replies).toHaveLength(0);
    expect((await h.db.select().from(hazardPhotos)).length).toBe(before);
  });

  it('a major hazard cannot be marked rectified without a photo of the fix', async () => {
    const r = await report(h, `/report ${MEIHE} 液氯储罐泄漏报警器失效 级别:重大`);
    // A photo of the hazard itself, before dispatch, is not evidence of the fix.
    await h.say(INSPECTOR, '', { imageKey: 'img_v2_alarm_before', parentId: r.card.messageId, rootId: r.messageId });
    await h.say(LEADER, `/dispatch ${r.no} @_user_1`, { mentions: [fixer] });

    const refused = await h.say(FIXER, `/rectify ${r.no} 已更换报警器`);
    expect(textOf(refused.replies[0])).toContain('重大隐患，提交整改前请先上传至少一张整改照片');
    expect(textOf(refused.replies[0])).toContain('attach at least one photo of the fix');
    expect((await hazardRow(h, r.no)).status).toBe('dispatched');

    // The button says the same.
    const notice = dmsTo(h, FIXER).find((m) => shown(m).includes(r.no) && shown(m).includes('您被指派'))!;
    const click = await h.click({ operatorOpenId: FIXER, value: findButton(cardJson(notice.content), 'hazard.rectify')!, messageId: notice.messageId, chatId: notice.chatId });
    expect((click.body.toast as { type: string; content: string })).toMatchObject({ type: 'error' });
    expect((click.body.toast as { content: string }).content).toContain('至少一张整改照片');

    h.advance(60_000);
    await h.say(FIXER, '', { imageKey: 'img_v2_alarm_after', parentId: notice.messageId, rootId: notice.messageId });
    const ok = await h.say(FIXER, `/rectify ${r.no} 已更换报警器`);
    expect(textOf(ok.replies[0])).toContain('已提交整改');
    expect((await hazardRow(h, r.no)).status).toBe('rectified');
    expect(currentCard(await hazardCardMessage(h, r.no))).toContain('2 张');
  });

  it('every card is valid card JSON 2.0', () => {
    expect(cardProblems(h)).toEqual([]);
  });
});

describe('configurable hazard rules', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTown({ settings: { hazardDefaults: { generalDays: 3, majorDays: 10, photoRequiredForMajor: false } } });
  });
  afterAll(() => h.close());

  it('default periods and the photo rule come from the settings', async () => {
    const general = await report(h, `/report ${MEIHE} 配电室门未上锁`);
    expect((await hazardRow(h, general.no)).deadline).toBe(Date.UTC(2026, 11, 4, 15, 59));
    const major = await report(h, `/report ${MEIHE} 液氯储罐泄漏报警器失效 级别:重大 @_user_1`, { mentions: [fixer] });
    expect((await hazardRow(h, major.no)).deadline).toBe(Date.UTC(2026, 11, 11, 15, 59));
    const ok = await h.say(FIXER, `/rectify ${major.no}`);
    expect(textOf(ok.replies[0])).toContain('已提交整改');
  });
});
