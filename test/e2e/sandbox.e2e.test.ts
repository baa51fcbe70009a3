// The sandbox page in a real Chromium: the whole product, driven only through the page.
// An inspector reports a hazard on the form card and dispatches it by clicking; the enterprise
// contact is buzzed, attaches a photo and rectifies; a leader verifies; the inspector reports a second
// hazard in plain words with a photo and confirms it; a third hazard's
// deadline passes when the clock is moved and the overdue digest arrives; /stats shows its chart.
// Screenshots of each step land in test-results/sandbox/.

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/run.ts';
import { addLocalDays, formatDate } from '../../src/domain/time.ts';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = 'test-results/sandbox';
const HONGMEI = 'oc_sandbox_hongmei';
const LEADERS = 'oc_sandbox_leaders';
const LINA = 'ou_demo_lina';
const LIUYANG = 'ou_demo_liuyang';
const CHENJING = 'ou_demo_chenjing';
const ZHANGWEI = 'ou_demo_zhangwei';
const WANGQIANG = 'ou_demo_wangqiang';

describe('the sandbox page in Chromium', () => {
  let dir: string;
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // Never skipped: without Chromium this suite fails and says how to get it.
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; bash .ci/run does it)`);
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'wk-e2e-'));
    sandbox = await startSandbox({ config: loadConfig({ DATABASE_URL: `file:${join(dir, 'wk.db')}`, PORT: '0', HOST: '127.0.0.1' }) });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    // Generous waits: on a shared 2-core machine under load a click can take seconds to settle.
    page.setDefaultTimeout(45_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const as = async (openId: string) => {
    await page.selectOption('[data-testid=who]', openId);
    await expect.poll(() => page.inputValue('[data-testid=who]')).toBe(openId);
  };
  const openChat = (chatId: string) => page.click(`[data-testid=chats] li[data-chat="${chatId}"]`);
  const say = async (text: string) => {
    await page.fill('[data-testid=text]', text);
    await page.press('[data-testid=text]', 'Enter');
  };
  const shot = async (name: string) => {
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: `${SHOTS}/${name}.png`, animations: 'disabled' });
  };
  const toast = (text: string) => page.locator('[data-testid=toast]', { hasText: text });
  /** Waits until the card's title shows this text. */
  const titled = (card: Locator, text: string) => card.locator('.card-title', { hasText: text }).waitFor();
  /** The hazard's own card in the open chat: the card whose title carries its number. */
  const hazardCard = (no: string): Locator => page.locator('[data-testid=message]', { has: page.locator('.card-title', { hasText: no }) }).first();

  it('takes a hazard from report to verification, shows the overdue digest after a clock jump, and charts /stats', async () => {
    await page.goto(sandbox.pageUrl);
    await expect.poll(() => page.locator('[data-testid=clock-now]').innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

    // The inspector reports a major hazard on the form card, in the township's group.
    await as(LINA);
    await openChat(HONGMEI);
    await say('/report');
    const form = page.locator('form.card-form').last();
    await form.locator('input[name=enterprise]').fill('梅河化工有限公司');
    await form.locator('select[name=level]').selectOption('major');
    await form.locator('input[name=description]').fill('2号储罐液位计失灵，高液位报警未接入DCS');
    await shot('01-report-form');
    await form.getByRole('button', { name: '上报' }).click();
    await toast('已上报').waitFor();
    const title = page.locator('.card-title', { hasText: '待派单' }).last();
    await title.waitFor();
    const no = /YH-\d{4}-\d{4}/.exec(await title.innerText())![0];

    // … and dispatches it to the enterprise's contact by clicking.
    const card = hazardCard(no);
    await card.locator('select[name=assignee]').selectOption(LIUYANG);
    await card.getByRole('button', { name: '派单' }).click();
    await toast('已派单').waitFor();
    await titled(card, '整改中');
    await shot('02-dispatched');

    // The contact's phone buzzes (a major hazard); they attach a photo in the card's thread and rectify.
    await as(LIUYANG);
    const buzz = page.locator('[data-testid=buzz-notification]', { hasText: no }).first();
    await buzz.waitFor();
    await shot('03-buzz');
    await buzz.getByRole('button', { name: '关闭' }).click();
    await openChat(HONGMEI);
    await hazardCard(no).locator('[data-testid=reply]').click();
    await page.setInputFiles('[data-testid=photo]', { name: 'fixed.png', mimeType: 'image/png', buffer: png(64, 48, [52, 199, 36]) });
    await page.locator('[data-testid=message]', { hasText: `已附照片到 ${no}` }).waitFor();
    await expect.poll(() => page.locator('[data-testid=message][data-type=image] img').last().evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64);
    await hazardCard(no).locator('.md', { hasText: '1 张' }).waitFor();
    await hazardCard(no).getByRole('button', { name: '整改完成' }).click();
    await toast('已提交整改').waitFor();
    await titled(hazardCard(no), '待复查');
    await shot('04-photo-and-rectified');

    // A leader verifies: the hazard is closed.
    await as(CHENJING);
    await openChat(HONGMEI);
    await hazardCard(no).getByRole('button', { name: '复查通过' }).click();
    await toast('复查通过').waitFor();
    await titled(hazardCard(no), '已销号');
    await shot('05-verified');

    // A plain-language report with a photo, the way officials write: the photo from the site first,
    // then a sentence to the bot. The confirmation card counts the photo; 登记 files both.
    await as(LINA);
    await openChat(HONGMEI);
    const imagesBefore = await page.locator('[data-testid=message][data-type=image]').count();
    await page.setInputFiles('[data-testid=photo]', { name: 'site.png', mimeType: 'image/png', buffer: png(40, 30, [200, 40, 40]) });
    await expect.poll(() => page.locator('[data-testid=message][data-type=image]').count()).toBeGreaterThan(imagesBefore);
    await say('@安全值守助手 梅河化工储罐区消防通道堵塞，三天内整改');
    const confirm = page.locator('[data-testid=message]', { has: page.locator('.card-title', { hasText: '请确认：登记隐患' }) }).last();
    await confirm.waitFor();
    for (const line of ['企业：梅河化工有限公司', '隐患描述：储罐区消防通道堵塞', '级别：一般', '整改责任人：—', '照片：1 张']) {
      await confirm.locator('.md', { hasText: line }).waitFor();
    }
    await shot('05b-plain-report-confirm');
    await confirm.getByRole('button', { name: '登记' }).click();
    await toast('已上报').waitFor();
    const plainTitle = page.locator('.card-title', { hasText: '待派单' }).filter({ hasNotText: no }).last();
    await plainTitle.waitFor();
    const plainNo = /YH-\d{4}-\d{4}/.exec(await plainTitle.innerText())![0];
    await hazardCard(plainNo).locator('.md', { hasText: '1 张' }).waitFor();
    await hazardCard(plainNo).locator('.md', { hasText: '储罐区消防通道堵塞' }).waitFor();
    await shot('05c-plain-report-filed');

    // A second hazard, dispatched at once with a one-day deadline …
    await as(LINA);
    await openChat(HONGMEI);
    await say('/report 梅河化工有限公司 装卸区静电接地报警器损坏 期限:1天 @刘洋');
    const second = page.locator('.card-title', { hasText: '整改中' }).filter({ hasNotText: no }).last();
    await second.waitFor();
    const no2 = /YH-\d{4}-\d{4}/.exec(await second.innerText())![0];

    // … the clock moves three days on, the jobs due in between run, and the overdue digest arrives.
    await page.fill('[data-testid=clock-custom]', '3d');
    // The jump runs every job slot in this process, whose event loop the Playwright client shares,
    // so even the click's acknowledgement waits for the jump: give it the jump's budget. On a
    // loaded 2-core machine a 3-day jump was measured at 16-22 s (main and this branch alike).
    await page.click('[data-testid=clock-go]', { timeout: 30_000 });
    await page.locator('[data-testid=clock-run]', { hasText: 'overdue-nags' }).waitFor({ timeout: 30_000 });
    await as(LIUYANG);
    await openChat(`oc_p2p_${LIUYANG}`);
    const digest = page.locator('[data-testid=message]', { has: page.locator('.card-title', { hasText: '逾期整改催办' }), hasText: no2 }).last();
    await digest.waitFor();
    await digest.scrollIntoViewIfNeeded();
    await shot('06-overdue-digest');

    // A leader asks for the figures: the chart image shows.
    await as(ZHANGWEI);
    await openChat(LEADERS);
    // The last 40 days hold the demo city's month and this test's hazards, whatever today's date.
    const tz = 'Asia/Shanghai';
    const today = sandbox.clock.now();
    await say(`/stats ${formatDate(addLocalDays(today, -40, tz), tz)}..${formatDate(today, tz)} 按行业`);
    // The image in the bot's reply in this /stats thread (the weekly report may have posted charts too).
    const thread = page.locator('.thread', { has: page.locator('[data-testid=message].mine', { hasText: '/stats ' }) }).last();
    const chart = thread.locator('.replies img').first();
    await chart.waitFor({ timeout: 15_000 });
    await expect.poll(() => chart.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(100);
    await chart.scrollIntoViewIfNeeded();
    await shot('07-stats-chart');

    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('an unanswered incident buzzes the admin in-app, then by SMS, then by phone — each its own notification; 收到 stops it', async () => {
    await as(WANGQIANG);
    await openChat(LEADERS);
    await say('/incident 防汛 红梅镇河堤 管涌险情 级别:较大');
    await page.locator('.card-title', { hasText: '防汛险情 · 较大' }).last().waitFor();
    // 张伟 (an admin, or the leader on duty) watches his phone while nobody answers for half an hour.
    await as(ZHANGWEI);
    const shown = page.locator('[data-testid=buzz-notification] .close');
    while ((await shown.count()) > 0) await shown.first().click();
    await page.fill('[data-testid=clock-custom]', '30m');
    await page.click('[data-testid=clock-go]');
    await page.locator('[data-testid=clock-run]', { hasText: 'escalations' }).first().waitFor({ timeout: 30_000 });
    const sms = page.locator('[data-testid=buzz-notification][data-kind=sms]', { hasText: '【飞书】加急消息' }).first();
    const call = page.locator('[data-testid=buzz-notification][data-kind=phone]', { hasText: '飞书电话加急' }).first();
    await sms.waitFor();
    await call.waitFor();
    await shot('08-sms-and-phone-buzz');
    await call.getByRole('button', { name: '接听并查看' }).click();
    const card = page.locator('[data-testid=message]', { has: page.locator('.card-title', { hasText: '防汛险情 · 较大' }) }).last();
    await card.getByRole('button', { name: '收到' }).click();
    await toast('已确认收到').waitFor();
    await card.locator('.md', { hasText: '张伟' }).filter({ hasText: '已收到' }).first().waitFor();
    await shot('09-acknowledged');
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('on a phone: the chat fills the screen, the list is a screen of its own, a sentence and a photo become a confirmation card in view', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    phone.setDefaultTimeout(45_000);
    phone.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await phone.goto(sandbox.pageUrl);
      await phone.selectOption('[data-testid=who]', LINA);
      const messages = phone.locator('[data-testid=messages]');
      await messages.waitFor();
      // The open chat takes the width of the phone; the chat list is behind 「‹ 会话」.
      expect((await messages.boundingBox())!.width).toBeGreaterThan(370);
      expect(await phone.locator('[data-testid=chats]').isVisible()).toBe(false);
      await phone.click('[data-testid=to-chats]');
      await phone.locator(`[data-testid=chats] li[data-chat="${HONGMEI}"]`).click();
      expect(await phone.locator('[data-testid=chats]').isVisible()).toBe(false);
      await expect.poll(() => phone.locator('#chat-title').innerText()).toBe('红梅镇安全生产群');
      // From the site: a photo, then what is wrong in a sentence.
      await phone.setInputFiles('[data-testid=photo]', { name: 'site.png', mimeType: 'image/png', buffer: png(64, 48, [200, 120, 40]) });
      await phone.fill('[data-testid=text]', '@安全值守助手 梅河化工储罐区东侧消防通道被货车堵死了，叫他们三天内清走');
      await phone.press('[data-testid=text]', 'Enter');
      const confirm = phone.locator('[data-testid=message]', { has: phone.locator('.card-title', { hasText: '请确认：登记隐患' }) }).last();
      await confirm.waitFor();
      await expect.poll(() => confirm.innerText()).toContain('隐患描述：储罐区东侧消防通道被货车堵死了');
      expect(await confirm.innerText()).toContain('照片：1 张');
      // The answer is on screen without scrolling, and no wider than the phone.
      await expect.poll(async () => {
        const box = (await confirm.boundingBox())!;
        return box.x >= 0 && box.x + box.width <= 390 && box.y < 844 && box.y + 40 > 0;
      }).toBe(true);
      await phone.evaluate(() => document.fonts.ready);
      await phone.screenshot({ path: `${SHOTS}/10-phone-confirm.png`, animations: 'disabled' });
    } finally {
      await phone.close();
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);
});

/** A small solid-colour PNG, built by hand so the test needs no image files. */
function png(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}
