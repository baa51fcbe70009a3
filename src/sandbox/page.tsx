import type { FC } from 'hono/jsx';
import { ROLE_LABELS, splitRoles } from '../domain/roles.ts';
import type { DemoChat } from './demo-city.ts';

// The sandbox page: a server-rendered shell (who you are, the chats, the clock) that
// assets/sandbox.js brings to life by polling the JSON API. No build step.

export interface PagePerson {
  openId: string;
  name: string;
  roles: string;
  department: string | null;
  township: string | null;
}

const GROUPS = [
  { role: 'leader', label: '领导 Leaders' },
  { role: 'inspector', label: '检查员 Inspectors' },
  { role: 'officer', label: '值班员 Duty officers' },
  { role: 'contact', label: '企业联系人 Enterprise contacts' },
  { role: '', label: '其他 Others' },
] as const;

/** Each person once, under their first role in GROUPS order. */
function grouped(list: PagePerson[]) {
  const out = GROUPS.map((g) => ({ ...g, people: [] as PagePerson[] }));
  for (const p of list) {
    const roles = splitRoles(p.roles);
    const group = out.find((g) => g.role !== '' && roles.includes(g.role)) ?? out[out.length - 1];
    group.people.push(p);
  }
  return out.filter((g) => g.people.length);
}

const describe = (p: PagePerson) =>
  [p.name, splitRoles(p.roles).map((r) => ROLE_LABELS[r].zh).join('、') || undefined, p.township ?? p.department ?? undefined].filter(Boolean).join(' · ');

export const SandboxPage: FC<{ people: PagePerson[]; chats: DemoChat[]; botName: string }> = ({ people, chats, botName }) => (
  <html lang="zh-CN">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{botName} · 沙盒 Sandbox</title>
      <link rel="icon" href="data:," />
      <link rel="stylesheet" href="/sandbox/assets/sandbox.css" />
    </head>
    <body>
      <header class="topbar">
        <div class="brand">
          <span class="logo">值</span>
          <span>
            {botName} <small>沙盒 Sandbox</small>
          </span>
        </div>
        <label class="who">
          我是 I am
          <select id="who" data-testid="who">
            {grouped(people).map((g) => (
              <optgroup label={g.label}>
                {g.people.map((p) => (
                  <option value={p.openId}>{describe(p)}</option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <div class="clock" title="沙盒时间：真实时间加上已拨快的时长；拨快时，期间到点的定时任务按顺序执行。Sandbox time: wall time plus how far it was moved; moving it runs the jobs due in between.">
          <span class="clock-label">沙盒时间 Sandbox time</span>
          <span id="clock-now" data-testid="clock-now">—</span>
          <span id="clock-offset" class="muted" title="已拨快 moved ahead by"></span>
          <button type="button" data-advance="1h" title="拨快 1 小时 Advance one hour">+1h</button>
          <button type="button" data-advance="1d" title="拨快 1 天 Advance one day">+1d</button>
          <button type="button" data-advance="1w" title="拨快 1 周 Advance one week">+1w</button>
          <input id="clock-custom" data-testid="clock-custom" placeholder="2d 3h" size={6} />
          <button type="button" id="clock-go" data-testid="clock-go">拨快 Advance</button>
        </div>
      </header>
      <main class="layout">
        <nav class="sidebar">
          <div class="section">会话 Chats</div>
          <ul id="chats" data-testid="chats">
            {chats.map((c) => (
              <li data-chat={c.chatId}>
                <span class="chat-name">{c.name.zh}</span> <small>{c.name.en}</small>
              </li>
            ))}
          </ul>
          <div class="section">加急 Buzzes</div>
          <ul id="buzzes" data-testid="buzzes">
            <li class="muted">暂无 None yet</li>
          </ul>
          <div class="section">Feishu 任务 / 日历 / 多维表格</div>
          <div id="mirrors" class="mirrors" data-testid="mirrors">
            <span class="muted">镜像到飞书任务、值班日历和台账多维表格的内容会显示在这里。What the mirrors put into Feishu shows here.</span>
          </div>
          <div class="section">定时任务 Jobs</div>
          <div id="clock-log" class="clock-log muted" data-testid="clock-log">
            拨快时钟后，这里列出执行过的任务。Move the clock to see which jobs ran.
          </div>
        </nav>
        <section class="chat">
          <div class="chat-head">
            <button type="button" id="to-chats" class="to-chats" data-testid="to-chats" title="会话列表、加急与定时任务 Chats, buzzes and jobs">
              ‹ 会话 Chats<span id="to-chats-badge" class="badge" hidden></span>
            </button>
            <span id="chat-title">—</span>
            <small id="chat-sub" class="muted"></small>
            <div class="lang" role="group" aria-label="卡片语言 card language" title="卡片文字的语言 Language of the cards' text">
              <button type="button" data-lang="zh">中文</button>
              <button type="button" data-lang="en">EN</button>
              <button type="button" data-lang="both">双语</button>
            </div>
          </div>
          <div id="messages" class="messages" data-testid="messages"></div>
          <form id="composer" class="composer" autocomplete="off">
            <div id="reply-bar" class="reply-bar" hidden>
              <span id="reply-text"></span>
              <button type="button" id="reply-cancel" title="取消回复 Cancel reply">×</button>
            </div>
            <div class="composer-row">
              <label class="photo" title="发送图片（在回复的话题中）Send a photo (in the thread you reply to)">
                <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" aria-hidden="true">
                  <path d="M4 8h3l2-3h6l2 3h3v11H4z" />
                  <circle cx="12" cy="13" r="3.5" />
                </svg>
                <input type="file" id="photo" data-testid="photo" accept="image/png,image/jpeg,image/gif,image/webp" />
              </label>
              <textarea id="text" data-testid="text" rows={2} placeholder="输入消息或命令，如 /help；@名字 提及他人；Enter 发送 · Type a message or a command such as /help; @name mentions; Enter sends"></textarea>
              <button type="submit" data-testid="send">发送 Send</button>
            </div>
          </form>
        </section>
      </main>
      <div id="toasts" class="toasts" data-testid="toasts"></div>
      <div id="phone" class="phone-stack" data-testid="phone"></div>
      <script type="module" src="/sandbox/assets/sandbox.js"></script>
    </body>
  </html>
);
