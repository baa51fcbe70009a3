import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadImage } from '@napi-rs/canvas';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { addEnterprise, addHazard } from './support/seed.ts';
import { bj } from './support/stats-fixture.ts';
import { runJob } from './support/roster-helpers.ts';
import { chatBindings, enforcementActions, inspections, jobRuns, outbox } from '../src/db/schema.ts';
import { findJob } from '../jobs/index.ts';
import { cronMatches, parseCron } from '../src/jobs/cron.ts';
import { cardToText } from '../src/lark/card-text.ts';

const LEADERS = 'oc_weekly_leaders';
const MONDAY = bj('2026-11-30T09:00:00');
const job = findJob('weekly-report')!;
let h: Harness;

const run = (at: Date, instance = 'test') => runJob(h, job, at, instance);

beforeAll(async () => {
  h = await startHarness({ start: MONDAY });
  const chem = await addEnterprise(h.db, { name: '梅河化工有限公司', sector: 'hazardous_chemicals', township: '红梅镇' });
  const gas = await addEnterprise(h.db, { name: '山城燃气公司', sector: 'city_gas', township: '山城镇' });
  const at = (s: string) => bj(s).getTime();
  // Last week is Monday 11-23 00:00 to Sunday 11-29 24:00, local.
  await addHazard(h.db, { enterpriseId: chem, sector: 'hazardous_chemicals', township: '红梅镇', status: 'closed', reportedAt: at('2026-11-23T00:10:00') });
  await addHazard(h.db, { enterpriseId: chem, sector: 'hazardous_chemicals', township: '红梅镇', status: 'dispatched', reportedAt: at('2026-11-25T10:00:00'), deadline: at('2026-12-05T23:59:00') });
  await addHazard(h.db, { enterpriseId: gas, sector: 'city_gas', township: '山城镇', status: 'rectified', reportedAt: at('2026-11-29T23:30:00') });
  await addHazard(h.db, { enterpriseId: gas, sector: 'city_gas', township: '山城镇', status: 'reported', reportedAt: at('2026-11-22T23:30:00') }); // the week before
  await addHazard(h.db, { enterpriseId: gas, sector: 'city_gas', township: '山城镇', status: 'reported', reportedAt: at('2026-11-30T00:30:00') }); // this week
  await h.db.insert(inspections).values([
    { enterpriseId: chem, at: at('2026-11-23T09:00:00'), createdAt: 0 },
    { enterpriseId: gas, at: at('2026-11-28T09:00:00'), createdAt: 0 },
  ]);
  await h.db.insert(enforcementActions).values({ enterpriseId: gas, kind: 'fine', amountFen: 2_000_000, at: at('2026-11-26T09:00:00'), createdAt: 0 });
});
afterAll(() => h.close());
beforeEach(async () => {
  await h.db.delete(jobRuns);
  await h.db.delete(outbox);
  await h.db.delete(chatBindings);
  await h.db.insert(chatBindings).values({ kind: 'leaders', name: '', chatId: LEADERS, boundAt: 0 });
  h.fake.reset();
});

describe('weekly-report', () => {
  it('is scheduled for Mondays at 09:00', () => {
    const spec = parseCron(job.cron);
    expect(job.cron).toBe('0 9 * * 1');
    expect(cronMatches(spec, MONDAY, 'Asia/Shanghai')).toBe(true);
    expect(cronMatches(spec, bj('2026-12-01T09:00:00'), 'Asia/Shanghai')).toBe(false);
    expect(cronMatches(spec, bj('2026-11-30T08:00:00'), 'Asia/Shanghai')).toBe(false);
  });

  it("posts last week's card with the chart, then the bulletin paragraph, to the leaders' chat", async () => {
    const { outcome, sent } = await run(MONDAY);
    expect(outcome).toMatchObject({ ran: true, queued: 2 });
    expect(sent.map((m) => [m.chatId, m.msgType])).toEqual([[LEADERS, 'interactive'], [LEADERS, 'text']]);

    const card = JSON.parse(sent[0].content);
    const text = cardToText(card);
    expect(text).toContain('上周安全生产统计 · 2026年11月23日至29日');
    expect(text).toContain('生产经营单位 **2** 户次');
    expect(text).toContain('发现 **3** 条，已整改 **2** 条，整改率 **66.7%**');
    expect(text).toContain('经济处罚 **2** 万元');

    const img = card.body.elements.find((e: { tag: string }) => e.tag === 'img');
    const png = h.fake.images.get(img.img_key)!;
    expect(png.length).toBeGreaterThan(20_000);
    const decoded = await loadImage(png);
    expect([decoded.width, decoded.height]).toEqual([1200, 675]);

    expect(textOf(sent[1])).toBe('2026年11月23日至29日，累计排查生产经营单位2户次，排查事故隐患3条，已整改2条，经济处罚2万元。');
  });

  it('sends nothing twice for the same week', async () => {
    expect((await run(MONDAY)).sent).toHaveLength(2);
    const again = await run(MONDAY, 'other');
    expect(again.outcome).toEqual({ ran: false, reason: 'taken' });
    expect(again.sent).toHaveLength(0);
  });

  it('still posts the figures and the paragraph when the chart upload fails', async () => {
    h.fake.failNext(1, { status: 400, code: 234001, msg: 'invalid image' });
    const { sent } = await run(MONDAY);
    expect(sent).toHaveLength(2);
    const text = cardToText(JSON.parse(sent[0].content));
    expect(text).toContain('图表上传失败');
    expect(text).toContain('发现 **3** 条');
    expect(textOf(sent[1])).toContain('排查事故隐患3条');
  });

  it('sends nothing when no leaders chat is bound', async () => {
    await h.db.delete(chatBindings);
    const { outcome, sent } = await run(MONDAY);
    expect(outcome).toMatchObject({ ran: true, queued: 0 });
    expect(sent).toHaveLength(0);
  });
});
