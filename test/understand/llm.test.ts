// The optional OpenAI-compatible extractor, against a small fake chat-completions server on
// 127.0.0.1: the model's fields reach the same confirmation card (the registry still picks the
// enterprise, people still come only from @mentions), a failing endpoint falls back to the rules,
// and the key is sent as a bearer token and never logged.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { llmReader } from '../../src/bot/understand/llm.ts';
import { EnterpriseIndex } from '../../src/bot/understand/enterprise-index.ts';
import { normalize } from '../../src/bot/understand/text.ts';
import { formatDate } from '../../src/domain/time.ts';
import { isCard, shown } from '../support/cards.ts';
import { INSPECTOR, startTown } from '../support/hazard-helpers.ts';
import type { Harness } from '../support/harness.ts';

const KEY = 'sk-test-very-secret-key';
const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-12-01T02:00:00Z');

interface Seen {
  path: string;
  authorization?: string;
  body: { model: string; messages: { role: string; content: string }[]; response_format?: unknown };
}

/** Answers /v1/chat/completions with whatever `reply` returns for the user's message (status, content). */
function fakeLlm(reply: (user: string) => { status?: number; content?: string }) {
  const seen: Seen[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw) as Seen['body'];
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
    const r = reply(body.messages.find((m) => m.role === 'user')?.content ?? '');
    res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(r.status && r.status >= 400 ? { error: { message: 'boom' } } : { choices: [{ index: 0, message: { role: 'assistant', content: r.content } }] }));
  });
  return {
    seen,
    start: () => new Promise<string>((ok) => server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`))),
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

const index = new EnterpriseIndex([
  { id: 1, name: '梅河化工有限公司', township: '红梅镇', aliases: null },
  { id: 2, name: '山城建材厂', township: '山城镇', aliases: null },
]);
const ctx = { now: NOW, tz: TZ, holidays: new Map<string, string>(), index };

describe('the LLM extractor', () => {
  const answers = new Map<string, { status?: number; content?: string }>();
  const llm = fakeLlm((user) => answers.get(user) ?? { status: 500 });
  let base = '';
  const logs: unknown[] = [];
  const log = { debug: (...a: unknown[]) => logs.push(a), info: (...a: unknown[]) => logs.push(a), warn: (...a: unknown[]) => logs.push(a), error: (...a: unknown[]) => logs.push(a) };
  beforeAll(async () => {
    base = await llm.start();
  });
  afterAll(() => llm.close());

  it('sends an OpenAI-compatible request with the key as a bearer token, and its fields come back checked', async () => {
    const text = '那家化工厂储罐区的通道又被堵了，周四之前弄好 @_user_1';
    answers.set(normalize(text), {
      content: JSON.stringify({ intent: 'hazard', enterprise: '梅河化工有限公司', description: '储罐区消防通道堵塞', level: 'general', deadline: '2026-12-03', assignee: '刘洋' }),
    });
    const read = llmReader({ baseUrl: base, apiKey: KEY, model: 'bureau-qwen', log });
    const u = await read(text, [], ctx);
    expect(llm.seen.at(-1)).toMatchObject({ path: '/v1/chat/completions', authorization: `Bearer ${KEY}`, body: { model: 'bureau-qwen', response_format: { type: 'json_object' } } });
    expect(u).toMatchObject({ intent: 'hazard', enterprise: { kind: 'one', id: 1 }, description: '储罐区消防通道堵塞', level: 'general', assignees: [] });
    if (u.intent !== 'hazard') throw new Error('not a hazard');
    expect(formatDate(u.deadline!.at, TZ)).toBe('2026-12-03');
  });

  it('falls back to the built-in rules when the endpoint fails or answers nonsense, and never logs the key', async () => {
    const read = llmReader({ baseUrl: base, apiKey: KEY, model: 'bureau-qwen', log });
    const failing = await read('梅河化工储罐区消防通道堵塞，三天内整改', [], ctx);
    expect(failing).toMatchObject({ intent: 'hazard', enterprise: { kind: 'one', id: 1 }, description: '储罐区消防通道堵塞' });
    answers.set(normalize('山城建材厂 配电箱无盖板'), { content: 'I think this is a hazard.' });
    const nonsense = await read('山城建材厂 配电箱无盖板', [], ctx);
    expect(nonsense).toMatchObject({ intent: 'hazard', enterprise: { kind: 'one', id: 2 } });
    expect(logs.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(logs)).not.toContain(KEY);
  });
});

describe('with LLM_BASE_URL set, plain messages go through the model to the same confirmation card', () => {
  const llm = fakeLlm(() => ({ content: JSON.stringify({ intent: 'hazard', enterprise: '梅河化工', description: '罐区围堰排水阀未关闭', level: 'major', deadline: '2026-12-10' }) }));
  let h: Harness;
  beforeAll(async () => {
    const base = await llm.start();
    h = await startTown({ settings: { llm: { baseUrl: base, apiKey: KEY, model: 'bureau-qwen' } } });
  });
  afterAll(async () => {
    await h.close();
    await llm.close();
  });

  it('shows what the model read, matched against the registry', async () => {
    const r = await h.say(INSPECTOR, '@_user_1 化工园区那家，罐区围堰的排水阀一直开着，下周四前关好，重大', { mentions: [{ openId: h.fake.botOpenId, name: '安全值守助手' }] });
    const card = r.replies.find((m) => m.parentId === r.messageId && isCard(m))!;
    const text = shown(card);
    for (const line of ['企业：梅河化工有限公司', '隐患描述：罐区围堰排水阀未关闭', '级别：重大', '整改期限：2026-12-10', '整改责任人：—']) expect(text).toContain(line);
    expect(llm.seen).toHaveLength(1);
  });
});
