import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { findPeople } from '../domain/people.ts';
import { readSandboxInfo, sandboxInfoPath } from '../sandbox/secrets.ts';
import { messageEnvelope, signedRequest } from '../lark/simulate.ts';
import { withMentions } from '../sandbox/mentions.ts';
import { cardToText } from '../lark/card-text.ts';
import { sha256Hex } from '../lark/crypto.ts';

// `npm run say -- --as NAME [--chat CHAT_ID] "/command …"`: posts a correctly signed, encrypted
// message event to the running sandbox as that person and prints what the bot answers.

interface FakeMessage { messageId: string; chatId: string; receiveId: string; parentId?: string; rootId?: string; msgType: string; content: string; createdAt: number; patches: string[]; urgent: { openIds: string[] }[] }

function usage(): never {
  process.stderr.write('usage: npm run say -- --as NAME [--chat CHAT_ID] "/help"\n');
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const out: { as?: string; chat?: string; text: string[] } = { text: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--as') out.as = argv[++i];
    else if (argv[i] === '--chat') out.chat = argv[++i];
    else out.text.push(argv[i]);
  }
  if (!out.as || out.text.length === 0) usage();
  return { as: out.as, chat: out.chat, text: out.text.join(' ') };
}

/** The sandbox bot's display name (src/sandbox/run.ts). */
const BOT_NAME = '安全值守助手';

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig(process.env);
  const info = readSandboxInfo(sandboxInfoPath(config.DATABASE_URL));
  if (!info?.botUrl || !info.larkUrl) {
    process.stderr.write('沙盒未运行：请先在另一个终端运行 npm start。\nThe sandbox is not running: start it first with `npm start` in another terminal.\n');
    process.exit(1);
  }
  const database = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  const resolve = async (name: string) => {
    // "@安全值守助手" mentions the bot, as on the sandbox page (src/sandbox/api.ts).
    if (name === BOT_NAME && info.botOpenId) return { openId: info.botOpenId, name };
    const found = await findPeople(database.db, name);
    return found[0] ? { openId: found[0].openId, name: found[0].name } : undefined;
  };
  const me = (await resolve(args.as)) ?? { openId: `ou_guest_${(await sha256Hex(args.as)).slice(0, 12)}`, name: args.as };
  // "@名字" in the text becomes a real mention, as the Lark client would send it.
  const { text, mentions } = await withMentions(args.text, resolve);
  database.close();
  const chatId = args.chat ?? `oc_p2p_${me.openId}`;
  const chatType = args.chat ? 'group' : 'p2p';

  const startedAt = Date.now();
  const userMsg = (await post(`${info.larkUrl}/_fake/user-messages`, { chatId, content: JSON.stringify({ text }), msgType: 'text', senderOpenId: me.openId })) as FakeMessage;
  const envelope = messageEnvelope({ senderOpenId: me.openId, chatId, chatType, text, mentions, messageId: userMsg.messageId, token: info.verificationToken, appId: info.appId });
  const req = await signedRequest(envelope, info);
  // A sandbox in ws mode hears events down the fake's long connection, as Feishu would send them.
  const res = info.eventMode === 'ws'
    ? await fetch(`${info.larkUrl}/_fake/events`, { method: 'POST', body: JSON.stringify(envelope), headers: { 'content-type': 'application/json' } })
    : await fetch(`${info.botUrl}/lark/events`, { method: 'POST', body: req.body, headers: req.headers });
  if (!res.ok) {
    process.stderr.write(`bot refused the event: HTTP ${res.status} ${await res.text()}\n`);
    process.exit(1);
  }
  process.stdout.write(`${me.name} → ${text}\n`);
  await printReplies(info.larkUrl, startedAt, userMsg.messageId);
}

/** Waits until the bot has been quiet for a second (at most 10 s) and prints what it sent. */
async function printReplies(larkUrl: string, since: number, messageId: string) {
  const seen = new Set<string>();
  let quietSince = Date.now();
  while (Date.now() - quietSince < 1200 && Date.now() - since < 10_000) {
    await new Promise((r) => setTimeout(r, 200));
    const msgs = (await (await fetch(`${larkUrl}/_fake/messages?since=${since}`)).json()) as FakeMessage[];
    for (const m of msgs) {
      if (seen.has(m.messageId) || m.messageId === messageId) continue;
      seen.add(m.messageId);
      quietSince = Date.now();
      const where = m.parentId === messageId || m.rootId === messageId ? '↳ 回复 reply' : `→ ${m.receiveId}`;
      process.stdout.write(`\n安全值守助手 ${where}:\n${render(m)}\n`);
      for (const u of m.urgent) process.stdout.write(`  📳 加急 buzz → ${u.openIds.join(', ')}\n`);
    }
  }
  if (seen.size === 0) process.stdout.write('(机器人没有回复 / no reply from the bot)\n');
}

function render(m: FakeMessage): string {
  const content = JSON.parse(m.patches.at(-1) ?? m.content) as Record<string, unknown>;
  if (m.msgType === 'text') return String(content.text ?? '');
  if (m.msgType === 'interactive') return cardToText(content);
  return `[${m.msgType}]`;
}

async function post(url: string, body: unknown) {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

main().catch((e) => {
  process.stderr.write(`say failed: ${(e as Error)?.message ?? e}\n`);
  process.exit(1);
});
