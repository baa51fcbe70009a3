import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Hono } from 'hono';
import { asc } from 'drizzle-orm';
import { people } from '../db/schema.ts';
import { sandboxApi, type SandboxDeps } from './api.ts';
import { DEMO_CHATS } from './demo-city.ts';
import { SandboxPage } from './page.tsx';
import { own } from '../own.ts';

const require = createRequire(import.meta.url);

const ASSETS: Record<string, string> = {
  'sandbox.js': 'text/javascript; charset=utf-8',
  'card.js': 'text/javascript; charset=utf-8',
  'markdown.js': 'text/javascript; charset=utf-8',
  'sandbox.css': 'text/css; charset=utf-8',
};

/**
 * The sandbox's routes: GET /sandbox (the page), /sandbox/assets/* (its scripts and styles) and
 * /sandbox/api/* (its JSON API). Mounted only in sandbox mode.
 */
export function mountSandbox(app: Hono, deps: () => SandboxDeps) {
  // Read once: the scripts are small, and a running sandbox serves what it started with.
  const assets = new Map(Object.keys(ASSETS).map((name) => [name, readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8')]));

  app.get('/', (c) => c.redirect('/sandbox'));
  app.get('/sandbox', async (c) => {
    const d = deps();
    const list = await d.db
      .select({ openId: people.openId, name: people.name, roles: people.roles, department: people.department, township: people.township })
      .from(people)
      .orderBy(asc(people.id));
    const page = await (<SandboxPage people={list} chats={DEMO_CHATS} botName={d.botName} />).toString();
    return c.html(`<!doctype html>${page}`);
  });
  // CJK glyphs for machines without a Chinese font (a bare Chromium, CI): the font the charts use.
  app.get('/sandbox/assets/fonts/:file', async (c) => {
    const weight = own({ 'noto-sans-sc-400.ttf': '400Regular', 'noto-sans-sc-700.ttf': '700Bold' }, c.req.param('file'));
    if (!weight) return c.notFound();
    const bytes = await readFile(require.resolve(`@expo-google-fonts/noto-sans-sc/${weight}/NotoSansSC_${weight}.ttf`));
    return c.body(bytes, 200, { 'content-type': 'font/ttf', 'cache-control': 'max-age=86400' });
  });
  app.get('/sandbox/assets/:name', (c) => {
    const name = c.req.param('name');
    const body = assets.get(name);
    if (body === undefined) return c.notFound();
    return c.body(body, 200, { 'content-type': ASSETS[name], 'cache-control': 'no-cache' });
  });
  app.route('/sandbox/api', sandboxApi(deps));
}
