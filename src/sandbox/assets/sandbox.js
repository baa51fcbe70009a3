// The sandbox page: polls /sandbox/api/state, shows the chats as the chosen person sees them,
// and turns what they type and click into API calls that become signed Lark events.

import { renderCard, pick, versions } from './card.js';
import { esc, inline } from './markdown.js';

const $ = (id) => document.getElementById(id);
const api = (path, body) =>
  fetch(`/sandbox/api/${path}`, body instanceof FormData
    ? { method: 'POST', body, headers: { 'x-sandbox': '1' } }
    : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'x-sandbox': '1' } })
    .then(async (r) => ({ ok: r.ok, status: r.status, body: await r.json().catch(() => ({})) }));

const S = {
  rev: 0,
  people: [],
  chats: [],
  bot: { openId: '', name: '安全值守助手' },
  clock: { now: Date.now(), offsetMs: 0, tz: 'Asia/Shanghai' },
  byId: new Map(),
  me: localStorage.getItem('wk.me') || $('who').value,
  chat: localStorage.getItem('wk.chat') || '',
  lang: localStorage.getItem('wk.lang') || 'zh',
  replyTo: null,
  /** Rendered message nodes: id → { key, el }. */
  nodes: new Map(),
  /** Per person and chat, how many messages they have seen. */
  seen: new Map(),
  /** Buzzes already shown as a phone notification: `${me}|${messageId}|${n}`. */
  buzzShown: new Set(JSON.parse(sessionStorage.getItem('wk.buzzShown') || '[]')),
};

// ── helpers ─────────────────────────────────────────────────────────────────────────────

const personOf = (openId) => S.people.find((p) => p.openId === openId);
const nameOf = (openId) => (openId === S.bot.openId ? S.bot.name : personOf(openId)?.name);
const dmOf = (openId) => `oc_p2p_${openId}`;
const isDm = (chatId) => chatId.startsWith('oc_p2p_');
const bi = (zh, en) => (S.lang === 'en' ? en : S.lang === 'both' ? `${zh} ${en}` : zh);

function fmt(ms, withDate = true) {
  const parts = new Intl.DateTimeFormat('zh-CN', {
    timeZone: S.clock.tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  }).formatToParts(new Date(ms));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return withDate ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` : `${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

function duration(ms) {
  const d = Math.floor(ms / 86_400_000);
  const h = Math.floor((ms % 86_400_000) / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  return [d && `${d}天`, h && `${h}小时`, m && `${m}分`].filter(Boolean).join('') || '0';
}

/** A one-line summary of a message, for buzzes, reply bars and the phone. */
function summary(m) {
  const c = m.content ?? {};
  if (m.msgType === 'interactive') return pick(c.config?.summary ?? c.header?.title ?? '[卡片 card]', S.lang);
  if (m.msgType === 'text') return withNames(String(c.text ?? ''), m).split('\n')[0];
  if (m.msgType === 'image') return '[图片 image]';
  if (m.msgType === 'file') return `[文件 file] ${m.fileName ?? ''}`;
  return `[${m.msgType}]`;
}

const withNames = (text, m) => (m.mentions ?? []).reduce((t, x) => t.replaceAll(x.key, `@${x.name}`), text);

// ── polling ─────────────────────────────────────────────────────────────────────────────

let polling = false;
let again = false;
async function poll() {
  if (polling) return void (again = true);
  polling = true;
  try {
    const r = await fetch(`/sandbox/api/state?since=${S.rev}`);
    if (!r.ok) return;
    const s = await r.json();
    if (S.epoch && s.epoch !== S.epoch) {
      // The sandbox restarted: its chat history (kept by the in-memory fake Lark) starts over.
      S.epoch = s.epoch;
      S.rev = 0;
      S.byId.clear();
      S.nodes.clear();
      $('messages').innerHTML = '';
      return void (again = true);
    }
    S.epoch = s.epoch;
    S.rev = s.rev;
    S.clock = s.clock;
    S.bot = s.bot;
    const peopleChanged = JSON.stringify(s.people) !== JSON.stringify(S.people);
    S.people = s.people;
    S.chats = s.chats;
    S.mirrors = s.mirrors;
    for (const m of s.messages) S.byId.set(m.id, m);
    if (peopleChanged) renderWho();
    render(s.messages.length > 0);
  } finally {
    polling = false;
    if (again) {
      again = false;
      void poll();
    }
  }
}

/** Poll a few times quickly after an action, while the bot answers. */
function soon() {
  for (const ms of [150, 400, 800, 1500, 2500]) setTimeout(poll, ms);
}

// ── rendering ───────────────────────────────────────────────────────────────────────────

function render(changed = true) {
  if (!S.chats.length) return;
  if (!S.chat || (!S.chats.some((c) => c.id === S.chat) && S.chat !== dmOf(S.me))) S.chat = S.chats[0].id;
  renderClock();
  renderChats();
  if (changed) renderMessages();
  renderBuzzes();
  renderMirrors();
}

function renderWho() {
  const who = $('who');
  if (![...who.options].some((o) => o.value === S.me)) S.me = who.value;
  who.value = S.me;
}

function renderClock() {
  $('clock-now').textContent = fmt(S.clock.now);
  $('clock-offset').textContent = S.clock.offsetMs ? `+${duration(S.clock.offsetMs)}` : '';
  for (const b of document.querySelectorAll('[data-lang]')) b.classList.toggle('on', b.dataset.lang === S.lang);
}

function chatList() {
  const me = personOf(S.me);
  return [
    ...S.chats.map((c) => ({ id: c.id, label: c.name.zh, sub: c.name.en, icon: '#' })),
    { id: dmOf(S.me), label: S.bot.name, sub: bi('单聊', 'direct chat') + (me ? ` · ${me.name}` : ''), icon: '值' },
  ];
}

const countIn = (chatId) => [...S.byId.values()].filter((m) => m.chatId === chatId).length;
const seenKey = (chatId) => `${S.me}|${chatId}`;

function renderChats() {
  const ul = $('chats');
  ul.innerHTML = '';
  S.seen.set(seenKey(S.chat), countIn(S.chat));
  for (const c of chatList()) {
    const li = document.createElement('li');
    li.dataset.chat = c.id;
    li.dataset.testid = 'chat';
    li.className = c.id === S.chat ? 'active' : '';
    const unread = countIn(c.id) - (S.seen.get(seenKey(c.id)) ?? 0);
    li.innerHTML = `<span class="chat-icon">${esc(c.icon)}</span><span class="chat-text"><span class="chat-name">${esc(c.label)}</span><small>${esc(c.sub)}</small></span>${unread > 0 ? `<span class="badge">${unread}</span>` : ''}`;
    li.onclick = () => openChat(c.id);
    ul.append(li);
  }
  // On a phone the list is its own screen: the way back to it shows what is unread elsewhere.
  const unreadElsewhere = chatList().reduce((n, c) => n + (c.id === S.chat ? 0 : Math.max(0, countIn(c.id) - (S.seen.get(seenKey(c.id)) ?? 0))), 0);
  const badge = $('to-chats-badge');
  badge.hidden = unreadElsewhere === 0;
  badge.textContent = String(unreadElsewhere);
  const current = chatList().find((c) => c.id === S.chat);
  $('chat-title').textContent = current?.label ?? S.chat;
  $('chat-sub').textContent = current?.sub ?? '';
}

function openChat(id, focusMessage) {
  document.body.classList.remove('side-open');
  if (S.chat !== id) {
    S.chat = id;
    stickToBottom = true;
    localStorage.setItem('wk.chat', id);
    setReply(null);
    $('messages').innerHTML = '';
    S.nodes.clear();
  }
  render();
  if (focusMessage) {
    const el = document.querySelector(`[data-id="${CSS.escape(focusMessage)}"]`);
    el?.scrollIntoView({ block: 'center' });
    el?.classList.add('flash');
    setTimeout(() => el?.classList.remove('flash'), 1600);
  }
}

// Whether the chat follows its newest message: true until the person scrolls up to read, and again
// when they scroll back down, open a chat or send something. Photos that load later keep it there.
let stickToBottom = true;
const atBottom = (box) => box.scrollHeight - box.scrollTop - box.clientHeight < 80;
$('messages').addEventListener('scroll', () => (stickToBottom = atBottom($('messages'))));
$('messages').addEventListener('load', () => stickToBottom && ($('messages').scrollTop = $('messages').scrollHeight), true);

function renderMessages() {
  const box = $('messages');
  const nearBottom = stickToBottom || atBottom(box);
  const list = [...S.byId.values()].filter((m) => m.chatId === S.chat).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  const roots = [];
  const replies = new Map();
  for (const m of list) {
    const root = m.rootId && S.byId.get(m.rootId)?.chatId === S.chat ? m.rootId : null;
    if (root) (replies.get(root) ?? replies.set(root, []).get(root)).push(m);
    else roots.push(m);
  }
  if (!roots.length) {
    box.innerHTML = `<div class="empty">${bi('还没有消息。试试发送 /help。', 'No messages yet. Try /help.')}</div>`;
    S.nodes.clear();
    return;
  }
  box.querySelector('.empty')?.remove();
  roots.forEach((m, i) => {
    let thread = box.querySelector(`:scope > [data-thread="${CSS.escape(m.id)}"]`);
    if (!thread) {
      thread = document.createElement('div');
      thread.className = 'thread';
      thread.dataset.thread = m.id;
      thread.append(Object.assign(document.createElement('div'), { className: 'replies' }));
    }
    place(box, thread, i);
    place(thread, messageNode(m), 0);
    const rs = replies.get(m.id) ?? [];
    const holder = thread.lastElementChild;
    holder.classList.toggle('has-replies', rs.length > 0);
    rs.forEach((r, j) => place(holder, messageNode(r), j));
    while (holder.children.length > rs.length) holder.lastElementChild.remove();
  });
  while (box.children.length > roots.length) box.lastElementChild.remove();
  if (nearBottom) box.scrollTop = box.scrollHeight;
}

/** Puts `el` at position i of `parent` without moving nodes that are already in place (keeps focus in forms). */
function place(parent, el, i) {
  if (parent.children[i] !== el) parent.insertBefore(el, parent.children[i] ?? null);
}

/** A message's node, rebuilt only when the message, the language or the viewer changed. */
function messageNode(m) {
  const key = `${m.rev}|${S.lang}|${S.me}|${S.replyTo === m.id}`;
  const have = S.nodes.get(m.id);
  if (have?.key === key) return have.el;
  const el = buildMessage(m);
  have?.el.replaceWith(el);
  S.nodes.set(m.id, { key, el });
  return el;
}

function buildMessage(m) {
  const el = document.createElement('div');
  const mine = m.sender === S.me;
  el.className = `msg${m.fromBot ? ' bot' : ''}${mine ? ' mine' : ''}${S.replyTo === m.id ? ' replying' : ''}`;
  el.dataset.id = m.id;
  el.dataset.testid = 'message';
  el.dataset.type = m.msgType;
  const who = m.fromBot ? S.bot.name : (nameOf(m.sender) ?? m.sender ?? '?');
  const avatar = document.createElement('div');
  avatar.className = 'avatar';
  avatar.textContent = m.fromBot ? '值' : who.slice(-2);
  const main = document.createElement('div');
  main.className = 'msg-main';
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.innerHTML = `<span class="name">${esc(who)}</span><span class="time">${fmt(m.createdAt, false)}</span>${m.updated ? `<span class="updated">${bi('已更新', 'updated')}</span>` : ''}`;
  if (m.urgent.length) {
    const tag = document.createElement('span');
    tag.className = 'urgent-tag';
    const via = { app: '', sms: bi('（短信）', ' (SMS)'), phone: bi('（电话）', ' (phone)') };
    tag.textContent = `${bi('加急', 'Buzzed')} → ${(m.buzzes ?? m.urgent.map((openId) => ({ openId, kind: 'app' }))).map((b) => `${nameOf(b.openId) ?? b.openId}${via[b.kind] ?? ''}`).join('、')}`;
    meta.append(tag);
  }
  main.append(meta, content(m));
  const actions = document.createElement('div');
  actions.className = 'actions';
  const reply = document.createElement('button');
  reply.type = 'button';
  reply.className = 'link';
  reply.dataset.testid = 'reply';
  reply.textContent = bi('回复', 'Reply');
  reply.onclick = () => setReply(m.id);
  actions.append(reply);
  main.append(actions);
  el.append(avatar, main);
  return el;
}

function content(m) {
  const c = m.content ?? {};
  const box = document.createElement('div');
  if (m.msgType === 'interactive') {
    box.className = 'bubble card-bubble';
    box.append(renderCard(c, cardCtx(m)));
  } else if (m.msgType === 'image') {
    box.className = 'bubble image-bubble';
    const img = document.createElement('img');
    img.src = `/sandbox/api/images/${encodeURIComponent(c.image_key)}`;
    img.alt = '图片 image';
    img.dataset.key = c.image_key;
    box.append(img);
  } else if (m.msgType === 'file') {
    box.className = 'bubble';
    box.innerHTML = `<a href="/sandbox/api/files/${encodeURIComponent(c.file_key)}" download>${bi('文件', 'File')}: ${esc(m.fileName ?? c.file_key)}</a>`;
  } else if (m.msgType === 'text') {
    box.className = 'bubble text';
    box.innerHTML = inline(withNames(String(c.text ?? ''), m), { nameOf }).replace(/\n/g, '<br>');
  } else if (m.msgType === 'post') {
    box.className = 'bubble text';
    const post = c.zh_cn ?? c.en_us ?? c;
    const lines = (post.content ?? []).map((para) => para.map((x) => (x.tag === 'at' ? `@${nameOf(x.user_id) ?? x.user_id}` : (x.text ?? ''))).join(''));
    box.innerHTML = `${post.title ? `<b>${esc(post.title)}</b><br>` : ''}${lines.map(esc).join('<br>')}`;
  } else {
    box.className = 'bubble';
    box.textContent = `[${m.msgType}]`;
  }
  return box;
}

function cardCtx(m) {
  return {
    lang: S.lang,
    nameOf,
    people: S.people,
    imageUrl: (key) => `/sandbox/api/images/${encodeURIComponent(key)}`,
    toast,
    onAction: (a) => click(m, a),
  };
}

// ── buzzes: a phone-style notification for the person buzzed ────────────────────────────

function buzzesOfMe() {
  return [...S.byId.values()].filter((m) => m.urgent.includes(S.me)).sort((a, b) => b.createdAt - a.createdAt);
}

function renderBuzzes() {
  const list = buzzesOfMe();
  const ul = $('buzzes');
  ul.innerHTML = list.length ? '' : `<li class="muted">${bi('暂无', 'None yet')}</li>`;
  for (const m of list.slice(0, 20)) {
    const li = document.createElement('li');
    li.className = 'buzz';
    li.innerHTML = `<span class="time">${fmt(m.createdAt, false)}</span> ${esc(summary(m))}`;
    li.onclick = () => openChat(m.chatId, m.id);
    ul.append(li);
  }
  const phone = $('phone');
  for (const m of list) {
    // Every buzz of me on this message, in order: in-app, then SMS, then a phone call each notify on their own.
    const mine = (m.buzzes ?? m.urgent.map((openId) => ({ openId, kind: 'app' }))).filter((b) => b.openId === S.me);
    mine.forEach((b, i) => {
      const key = `${S.me}|${m.id}|${i + 1}`;
      if (S.buzzShown.has(key)) return;
      S.buzzShown.add(key);
      sessionStorage.setItem('wk.buzzShown', JSON.stringify([...S.buzzShown].slice(-200)));
      phone.prepend(phoneCard(m, b.kind));
    });
    while (phone.children.length > 3) phone.lastElementChild.remove();
  }
}

/**
 * A lock-screen notification as the phone would show it: Feishu's in-app buzz, an SMS from
 * Feishu's number, or an incoming call that carries no details (the card stands behind it).
 */
function phoneCard(m, kind = 'app') {
  const el = document.createElement('div');
  el.className = `phone phone-${kind}`;
  el.dataset.testid = 'buzz-notification';
  el.dataset.kind = kind;
  const time = fmt(S.clock.now, false).slice(6);
  const me = esc(nameOf(S.me) ?? '');
  if (kind === 'sms') {
    el.innerHTML = `
    <div class="phone-bar"><span>${bi('短信 · 飞书', 'SMS · Feishu')}</span><span>${time}</span></div>
    <div class="phone-title">${bi('【飞书】加急消息', '[Feishu] Urgent message')}</div>
    <div class="phone-body">${esc(S.bot.name)} ${bi('给您发送了一条加急消息', 'sent you an urgent message')}：${esc(summary(m))}</div>
    <div class="phone-actions"><button type="button" class="open">${bi('打开飞书', 'Open Feishu')}</button><button type="button" class="close">${bi('关闭', 'Dismiss')}</button></div>`;
  } else if (kind === 'phone') {
    el.innerHTML = `
    <div class="phone-bar"><span>${bi('来电 · 飞书加急', 'Incoming call · Feishu urgent')}</span><span>${time}</span></div>
    <div class="phone-title">${bi('飞书电话加急', 'Feishu urgent call')} → ${me}</div>
    <div class="phone-body">${bi('语音：您有一条来自「' + esc(S.bot.name) + '」的加急消息，请打开飞书查看。', 'Voice: you have an urgent message from ' + esc(S.bot.name) + '; open Feishu to read it.')}</div>
    <div class="phone-actions"><button type="button" class="open">${bi('接听并查看', 'Answer and open')}</button><button type="button" class="close">${bi('挂断', 'Decline')}</button></div>`;
  } else {
    el.innerHTML = `
    <div class="phone-bar"><span>${bi('飞书 · 加急', 'Feishu · Urgent')}</span><span>${time}</span></div>
    <div class="phone-title">${esc(S.bot.name)} → ${me}</div>
    <div class="phone-body">${esc(summary(m))}</div>
    <div class="phone-actions"><button type="button" class="open">${bi('查看', 'Open')}</button><button type="button" class="close">${bi('关闭', 'Dismiss')}</button></div>`;
  }
  el.querySelector('.open').onclick = () => {
    el.remove();
    openChat(m.chatId, m.id);
  };
  el.querySelector('.close').onclick = () => el.remove();
  return el;
}

// ── toasts (card callback answers) ──────────────────────────────────────────────────────

function toast(type, text) {
  const el = document.createElement('div');
  el.className = `toast toast-${type ?? 'info'}`;
  el.dataset.testid = 'toast';
  const icon = { success: '✔', error: '✖', warning: '⚠', info: 'ℹ' }[type] ?? 'ℹ';
  el.innerHTML = `<span class="icon">${icon}</span><span>${esc(typeof text === 'string' ? text : pick({ content: text.zh, i18n_content: { zh_cn: text.zh, en_us: text.en } }, S.lang))}</span>`;
  const box = $('toasts');
  box.append(el);
  while (box.children.length > 3) box.firstElementChild.remove();
  setTimeout(() => el.classList.add('gone'), 3000);
  setTimeout(() => el.remove(), 3500);
}

function larkToast(t) {
  if (!t) return;
  const v = versions({ content: t.content, i18n_content: t.i18n });
  toast(t.type, { zh: v.zh, en: v.en });
}

// ── actions ─────────────────────────────────────────────────────────────────────────────

async function click(m, a) {
  const r = await api('click', { as: S.me, messageId: m.id, ...a });
  if (!r.ok) return toast('error', r.body.error ?? `HTTP ${r.status}`);
  larkToast(r.body.toast);
  await poll();
  soon();
}

function setReply(id) {
  const prev = S.replyTo;
  S.replyTo = id;
  const bar = $('reply-bar');
  bar.hidden = !id;
  if (id) {
    const m = S.byId.get(id);
    $('reply-text').textContent = `${bi('回复', 'Reply to')} ${m?.fromBot ? S.bot.name : (nameOf(m?.sender) ?? '')}：${m ? summary(m) : ''}`;
    $('text').focus();
  }
  if (prev !== id) renderMessages();
}

$('composer').onsubmit = async (ev) => {
  ev.preventDefault();
  const text = $('text').value.trim();
  if (!text) return;
  $('text').value = '';
  if (!S.replyTo) stickToBottom = true; // a new message goes to the bottom; a thread reply stays in place
  const r = await api('say', { as: S.me, chatId: S.chat, text, replyTo: S.replyTo ?? undefined });
  if (!r.ok) {
    $('text').value = text;
    return toast('error', r.body.error ?? `HTTP ${r.status}`);
  }
  setReply(null);
  await poll();
  soon();
};

$('text').onkeydown = (ev) => {
  if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    $('composer').requestSubmit();
  }
};

$('photo').onchange = async () => {
  const file = $('photo').files?.[0];
  if (!file) return;
  const fd = new FormData();
  fd.append('as', S.me);
  fd.append('chatId', S.chat);
  if (S.replyTo) fd.append('replyTo', S.replyTo);
  fd.append('file', file);
  $('photo').value = '';
  const r = await api('photo', fd);
  if (!r.ok) return toast('error', r.body.error ?? `HTTP ${r.status}`);
  setReply(null);
  await poll();
  soon();
};

$('reply-cancel').onclick = () => setReply(null);
$('to-chats').onclick = () => document.body.classList.add('side-open');

$('who').onchange = () => {
  const wasDm = isDm(S.chat);
  S.me = $('who').value;
  localStorage.setItem('wk.me', S.me);
  // Notifications belong to a phone: the next person's phone shows only their own buzzes.
  $('phone').innerHTML = '';
  if (wasDm) openChat(dmOf(S.me));
  else render();
};

for (const b of document.querySelectorAll('[data-lang]')) {
  b.onclick = () => {
    S.lang = b.dataset.lang;
    localStorage.setItem('wk.lang', S.lang);
    render();
  };
}

async function advance(text) {
  const buttons = document.querySelectorAll('.clock button');
  buttons.forEach((b) => (b.disabled = true));
  document.querySelector('.clock').classList.add('running');
  try {
    const r = await api('clock', { advance: text });
    if (!r.ok) return toast('error', r.body.error ?? `HTTP ${r.status}`);
    const jobs = Object.entries(r.body.jobs ?? {}).filter(([, j]) => j.slots > 0);
    const line = document.createElement('div');
    line.className = 'clock-run';
    line.dataset.testid = 'clock-run';
    const ran = jobs.map(([name, j]) => `${name} ×${j.slots}${j.queued ? `（${bi('发出', 'queued')} ${j.queued}）` : ''}${j.failed ? ` ⚠${j.failed}` : ''}`).join('，') || bi('没有到点的任务', 'no job was due');
    line.innerHTML = `<b>${fmt(r.body.from, false)} → ${fmt(r.body.to, false)}</b><br>${esc(ran)}`;
    const log = $('clock-log');
    if (log.classList.contains('muted')) {
      log.classList.remove('muted');
      log.innerHTML = '';
    }
    log.prepend(line);
    toast('success', { zh: `已拨快 ${text}，执行 ${r.body.slots} 个任务时段`, en: `Advanced ${text}; ${r.body.slots} job slots ran` });
    await poll();
    soon();
  } finally {
    document.querySelector('.clock').classList.remove('running');
    buttons.forEach((b) => (b.disabled = false));
  }
}

for (const b of document.querySelectorAll('[data-advance]')) b.onclick = () => advance(b.dataset.advance);
$('clock-go').onclick = () => {
  const v = $('clock-custom').value.trim();
  if (v) void advance(v);
};
$('clock-custom').onkeydown = (ev) => {
  if (ev.key === 'Enter') {
    ev.preventDefault();
    $('clock-go').click();
  }
};

renderWho();
void poll();
setInterval(poll, 1000);

// ── Feishu 任务 / 日历 / 多维表格: what the mirrors put into (fake) Feishu ────────────────────

function renderMirrors() {
  const m = S.mirrors;
  const box = $('mirrors');
  if (!box || !m) return;
  const names = (ids) => ids.map((id) => nameOf(id) ?? id).join('、');
  const tasks = m.tasks.items.map((t) => `<li class="mirror-item${t.done ? ' done' : ''}" data-testid="mirror-task">
      <span>${t.done ? '☑' : '☐'} ${esc(t.summary)}</span>
      <small class="muted">${esc(names(t.assignees))}${t.due ? ` · ${bi('截止', 'due')} ${fmt(t.due, false)}` : ''}</small>
      ${t.done ? '' : `<button type="button" data-task="${esc(t.guid)}" title="${bi('以负责人身份在飞书任务中勾选完成', 'Tick it done in Feishu Tasks, as its assignee')}">${bi('在飞书中完成', 'Tick in Feishu')}</button>`}
    </li>`).join('');
  const events = m.events.items.map((e) => `<li class="mirror-item" data-testid="mirror-event"><span>${e.allDay ? `[${bi('全天', 'all day')}] ` : ''}${esc(e.summary)}</span><small class="muted">${fmt(e.start, false)}${e.attendees.length ? ` · ${esc(names(e.attendees))}` : ''}</small></li>`).join('');
  const records = m.records.items.map((r) => `<li class="mirror-item" data-testid="mirror-record"><span>${esc(r.no)} ${esc(r.enterprise)}</span><small class="muted">${esc(r.status)}</small></li>`).join('');
  const none = `<li class="muted">${bi('暂无', 'None yet')}</li>`;
  box.innerHTML = `
    <div class="mirror-head">${bi('任务', 'Tasks')} <small class="muted">${m.tasks.count}</small></div><ul>${tasks || none}</ul>
    <div class="mirror-head">${bi('值班日历', 'Duty calendar')} <small class="muted">${m.events.count}</small></div><ul>${events || none}</ul>
    <div class="mirror-head">${bi('多维表格', 'Bitable')} <small class="muted">${m.records.count} ${bi('条', 'records')} · ${m.records.fields} ${bi('列', 'fields')}</small></div><ul>${records || none}</ul>`;
  for (const b of box.querySelectorAll('button[data-task]')) {
    b.onclick = async () => {
      b.disabled = true;
      const r = await api('complete-task', { guid: b.dataset.task });
      if (!r.ok) toast('error', r.body.error ?? `HTTP ${r.status}`);
      soon();
    };
  }
}
