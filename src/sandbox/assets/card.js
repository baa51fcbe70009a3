// Renders a Feishu/Lark card JSON 2.0 as HTML, for the components Watchkeeper sends (see
// test/support/card-check.ts): markdown, div/plain_text, column sets, tables, images, dividers,
// buttons, overflow menus, and forms with inputs, selects, multi-selects, date pickers and person pickers.
// Clicks and form submits go to ctx.onAction as the parts of a card.action.trigger callback.

import { esc, markdown } from './markdown.js';

/**
 * ctx: { lang: 'zh'|'en'|'both', nameOf(openId), people: [{openId, name}], imageUrl(key),
 *        onAction({ value, formValue, tag, name, option }) → Promise, toast(type, text) }
 */
export function renderCard(card, ctx) {
  const root = h('div', 'card');
  if (!card || card.schema !== '2.0') root.classList.add('card-v1');
  const header = card?.header;
  if (header) {
    const head = h('div', `card-header t-${header.template ?? 'default'}`);
    if (header.title) head.append(textBlock(header.title, ctx, 'card-title'));
    if (header.subtitle) head.append(textBlock(header.subtitle, ctx, 'card-subtitle'));
    root.append(head);
  }
  const body = h('div', 'card-body');
  for (const e of card?.body?.elements ?? card?.elements ?? []) body.append(element(e, ctx, null));
  root.append(body);
  return root;
}

// ── text ────────────────────────────────────────────────────────────────────────────────

/** The zh and en versions of a text (plain string, {content, i18n_content}, or a markdown element). */
export function versions(t) {
  if (t == null) return { zh: '', en: '' };
  if (typeof t === 'string') return { zh: t, en: t };
  const i18n = t.i18n_content ?? t.i18n ?? {};
  const base = t.content ?? '';
  return { zh: i18n.zh_cn ?? base, en: i18n.en_us ?? base };
}

/** One string in the chosen language ('both' → "中文 · English" when they differ). */
export function pick(t, lang) {
  const v = versions(t);
  if (lang === 'en') return v.en || v.zh;
  if (lang === 'both' && v.en && v.en !== v.zh) return `${v.zh} · ${v.en}`;
  return v.zh || v.en;
}

/** A text block; in 'both' mode the English follows beneath, smaller. Markdown when asked. */
function textBlock(t, ctx, cls, asMarkdown = false) {
  const v = versions(t);
  const el = h('div', cls);
  const render = (s) => (asMarkdown ? markdown(s, ctx) : esc(s).replace(/\n/g, '<br>'));
  if (ctx.lang === 'en') el.innerHTML = render(v.en || v.zh);
  else {
    el.innerHTML = render(v.zh || v.en);
    if (ctx.lang === 'both' && v.en && v.en !== v.zh) {
      const en = h('div', 'en');
      en.innerHTML = render(v.en);
      el.append(en);
    }
  }
  return el;
}

// ── components ──────────────────────────────────────────────────────────────────────────

function element(e, ctx, form) {
  switch (e?.tag) {
    case 'markdown': {
      const el = textBlock(e, ctx, 'md', true);
      if (e.text_align) el.style.textAlign = e.text_align;
      if (e.text_size) el.classList.add(`size-${e.text_size}`);
      return el;
    }
    case 'plain_text':
      return textBlock(e, ctx, 'plain');
    case 'div': {
      const el = h('div', 'div');
      if (e.text) el.append(textBlock(e.text, ctx, `plain ${e.text.text_color ? `c-${e.text.text_color}` : ''} ${e.text.text_size ? `size-${e.text.text_size}` : ''}`, e.text.tag === 'lark_md'));
      if (Array.isArray(e.fields)) {
        const grid = h('div', 'fields');
        for (const f of e.fields) grid.append(textBlock(f.text, ctx, f.is_short ? 'field short' : 'field', f.text?.tag === 'lark_md'));
        el.append(grid);
      }
      return el;
    }
    case 'hr':
      return h('hr', 'card-hr');
    case 'img':
      return image(e, ctx);
    case 'column_set':
      return columnSet(e, ctx, form);
    case 'table':
      return table(e, ctx);
    case 'form':
      return formEl(e, ctx);
    case 'button':
      return button(e, ctx, form);
    case 'input':
      return input(e, ctx, form);
    case 'select_static':
      return selectStatic(e, ctx, form);
    case 'multi_select_static':
      return multiSelectStatic(e, ctx, form);
    case 'select_person':
      return selectPerson(e, ctx, form);
    case 'date_picker':
    case 'picker_date':
      return datePicker(e, ctx, form);
    case 'overflow':
      return overflow(e, ctx);
    case 'collapsible_panel': {
      const d = h('details', 'panel');
      if (e.expanded) d.open = true;
      const s = h('summary');
      s.append(textBlock(e.header?.title ?? '', ctx, 'panel-title', e.header?.title?.tag === 'markdown'));
      d.append(s);
      for (const c of e.elements ?? []) d.append(element(c, ctx, form));
      return d;
    }
    default: {
      const el = h('div', 'unknown');
      el.textContent = `[${e?.tag ?? '?'}]`;
      return el;
    }
  }
}

function image(e, ctx) {
  const fig = h('figure', 'card-img');
  const img = h('img');
  img.src = ctx.imageUrl(e.img_key);
  img.alt = pick(e.alt, ctx.lang);
  img.dataset.key = e.img_key;
  if (e.scale_type === 'fit_horizontal' || e.size === 'stretch') img.classList.add('stretch');
  fig.append(img);
  if (e.title) fig.append(textBlock(e.title, ctx, 'img-title'));
  return fig;
}

function columnSet(e, ctx, form) {
  const row = h('div', `cols flex-${e.flex_mode ?? 'none'}`);
  if (e.background_style && e.background_style !== 'default') row.classList.add('bg-grey');
  for (const col of e.columns ?? []) {
    const c = h('div', 'col');
    if (col.width === 'auto') c.style.flex = '0 0 auto';
    else if (col.width === 'weighted' || col.width === undefined) c.style.flex = `${col.weight ?? 1} 1 0`;
    else c.style.flex = `0 0 ${col.width}`;
    if (e.flex_mode === 'bisect') c.style.flexBasis = 'calc(50% - 8px)';
    if (e.flex_mode === 'trisect') c.style.flexBasis = 'calc(33% - 8px)';
    if (col.vertical_align) c.style.alignSelf = { top: 'flex-start', center: 'center', bottom: 'flex-end' }[col.vertical_align] ?? '';
    for (const x of col.elements ?? []) c.append(element(x, ctx, form));
    row.append(c);
  }
  return row;
}

function table(e, ctx) {
  const wrap = h('div', 'table-wrap');
  const cols = e.columns ?? [];
  const rows = e.rows ?? [];
  const size = Math.min(Math.max(e.page_size ?? 5, 1), 10);
  let page = 0;
  const t = h('table', 'card-table');
  const pager = h('div', 'pager');
  const draw = () => {
    t.innerHTML = '';
    const head = h('tr');
    for (const c of cols) head.append(cell('th', esc(c.display_name ?? c.name), c.horizontal_align));
    t.append(head);
    for (const r of rows.slice(page * size, page * size + size)) {
      const tr = h('tr');
      for (const c of cols) tr.append(cell('td', cellHtml(r[c.name], c, ctx), c.horizontal_align ?? (c.data_type === 'number' ? 'right' : undefined)));
      t.append(tr);
    }
    const pages = Math.ceil(rows.length / size);
    pager.innerHTML = '';
    if (pages > 1) {
      const prev = h('button', 'btn btn-text');
      prev.type = 'button';
      prev.textContent = '‹';
      prev.disabled = page === 0;
      prev.onclick = () => ((page -= 1), draw());
      const next = h('button', 'btn btn-text');
      next.type = 'button';
      next.textContent = '›';
      next.disabled = page >= pages - 1;
      next.onclick = () => ((page += 1), draw());
      const label = h('span', 'muted');
      label.textContent = `${page + 1} / ${pages}`;
      pager.append(prev, label, next);
    }
  };
  draw();
  wrap.append(t, pager);
  return wrap;
}

function cell(tag, html, align) {
  const c = h(tag);
  c.innerHTML = html;
  if (align) c.style.textAlign = align;
  return c;
}

function cellHtml(v, col, ctx) {
  if (v == null) return '';
  switch (col.data_type) {
    case 'number': {
      const f = col.format ?? {};
      const n = typeof v === 'number' ? v.toFixed(f.precision ?? (Number.isInteger(v) ? 0 : 2)) : String(v);
      const withSep = f.separator ? n.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : n;
      return esc(`${f.symbol ?? ''}${withSep}`);
    }
    case 'date':
      return esc(typeof v === 'number' ? new Date(v).toLocaleDateString('zh-CN') : String(v));
    case 'lark_md':
    case 'markdown':
      return markdown(String(v), ctx);
    case 'persons':
      return esc((Array.isArray(v) ? v : [v]).map((p) => ctx.nameOf(p?.id ?? p) ?? p).join('、'));
    case 'options':
      return (Array.isArray(v) ? v : [v]).map((o) => `<span class="text-tag c-${esc(o.color ?? 'neutral')}">${esc(o.text ?? o)}</span>`).join(' ');
    default:
      return esc(String(v));
  }
}

// ── forms and interaction ───────────────────────────────────────────────────────────────

/** A form collects its fields; a submit button sends their values with its own callback. */
function formEl(e, ctx) {
  const el = h('form', 'card-form');
  el.dataset.name = e.name ?? '';
  el.onsubmit = (ev) => ev.preventDefault();
  const form = { el, fields: [] };
  for (const c of e.elements ?? []) el.append(element(c, ctx, form));
  return el;
}

function callbackValue(e) {
  return (e.behaviors ?? []).find((b) => b.type === 'callback')?.value;
}

function button(e, ctx, form) {
  const b = h('button', `btn btn-${e.type ?? 'default'}`);
  b.type = 'button';
  const v = versions(e.text);
  if (ctx.lang === 'en') b.textContent = v.en || v.zh;
  else {
    b.textContent = v.zh || v.en;
    if (ctx.lang === 'both' && v.en && v.en !== v.zh) {
      const en = h('small', 'en');
      en.textContent = v.en;
      b.append(en);
    }
  }
  b.dataset.testid = 'card-button';
  if (e.disabled) {
    b.disabled = true;
    if (e.disabled_tips) b.title = pick(e.disabled_tips, ctx.lang);
  }
  b.onclick = async () => {
    if (e.confirm && !window.confirm(`${pick(e.confirm.title, ctx.lang)}\n${pick(e.confirm.text, ctx.lang)}`)) return;
    const url = (e.behaviors ?? []).find((x) => x.type === 'open_url');
    if (url) window.open(url.default_url ?? url.pc_url, '_blank', 'noopener');
    if (form && e.form_action_type === 'reset') return form.el.reset();
    const value = callbackValue(e);
    let formValue;
    if (form && e.form_action_type === 'submit') {
      formValue = collect(form, ctx);
      if (!formValue) return;
    }
    if (!value && !formValue) return;
    b.disabled = true;
    b.classList.add('busy');
    try {
      await ctx.onAction({ value: value ?? {}, formValue, tag: 'button', name: e.name });
    } finally {
      b.disabled = false;
      b.classList.remove('busy');
    }
  };
  return b;
}

/** The form's values by name, as Lark sends them; undefined (with the empty fields marked) when a required one is empty. */
function collect(form, ctx) {
  const out = {};
  let missing = false;
  for (const f of form.fields) {
    const v = f.value();
    f.el.classList.toggle('missing', f.required && (v === undefined || v === ''));
    if (f.required && (v === undefined || v === '')) missing = true;
    if (v !== undefined) out[f.name] = v;
  }
  if (missing) {
    ctx.toast?.('error', { zh: '请填写必填项', en: 'Please fill in the required fields' });
    return undefined;
  }
  return out;
}

function field(e, ctx, control) {
  const wrap = h('label', 'field-wrap');
  if (e.label) wrap.append(textBlock(e.label, ctx, 'field-label'));
  else if (e.required) wrap.classList.add('req');
  if (e.required && e.label) wrap.firstChild.classList.add('req');
  control.name = e.name ?? '';
  control.dataset.name = e.name ?? '';
  if (e.disabled) control.disabled = true;
  if (e.width === 'fill') wrap.classList.add('fill');
  wrap.append(control);
  return wrap;
}

function input(e, ctx, form) {
  const multi = e.input_type === 'multiline_text';
  const el = h(multi ? 'textarea' : 'input', 'card-input');
  if (!multi) el.type = e.input_type === 'password' ? 'password' : 'text';
  el.placeholder = pick(e.placeholder, ctx.lang);
  if (e.default_value) el.value = e.default_value;
  if (e.max_length) el.maxLength = e.max_length;
  const wrap = field(e, ctx, el);
  form?.fields.push({ name: e.name, required: !!e.required, el: wrap, value: () => el.value });
  return wrap;
}

function optionsSelect(e, ctx, options, initial) {
  const el = h('select', 'card-select');
  const ph = h('option');
  ph.value = '';
  ph.textContent = pick(e.placeholder, ctx.lang) || '请选择 Choose';
  el.append(ph);
  for (const o of options) {
    const opt = h('option');
    opt.value = o.value;
    opt.textContent = o.label;
    el.append(opt);
  }
  el.value = initial ?? '';
  return el;
}

function selectStatic(e, ctx, form) {
  const el = optionsSelect(e, ctx, (e.options ?? []).map((o) => ({ value: o.value, label: pick(o.text, ctx.lang) })), e.initial_option);
  const wrap = field(e, ctx, el);
  if (form) form.fields.push({ name: e.name, required: !!e.required, el: wrap, value: () => el.value || undefined });
  else onChange(el, e, ctx, 'select_static');
  return wrap;
}

/** Lark's multi-select lives in a form; its submit sends the chosen option values as an array. */
function multiSelectStatic(e, ctx, form) {
  const el = h('select', 'card-select multi');
  el.multiple = true;
  const options = e.options ?? [];
  el.size = Math.min(Math.max(options.length, 2), 6);
  const initial = new Set(e.selected_values ?? []);
  for (const o of options) {
    const opt = h('option');
    opt.value = o.value;
    opt.textContent = pick(o.text, ctx.lang);
    opt.defaultSelected = initial.has(o.value); // so a reset button brings the initial choice back
    el.append(opt);
  }
  el.title = pick(e.placeholder, ctx.lang) || '请选择 Choose';
  // A plain click toggles one option (as in Lark's checklist dropdown), no Ctrl/⌘ needed.
  el.addEventListener('mousedown', (ev) => {
    const opt = ev.target;
    if (el.disabled || !(opt instanceof HTMLOptionElement)) return;
    ev.preventDefault();
    opt.selected = !opt.selected;
    el.focus();
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  const wrap = field(e, ctx, el);
  if (e.placeholder) {
    const hint = h('span', 'select-hint muted');
    hint.textContent = pick(e.placeholder, ctx.lang);
    wrap.insertBefore(hint, el);
  }
  const value = () => {
    const chosen = [...el.selectedOptions].map((o) => o.value);
    return chosen.length ? chosen : undefined;
  };
  // Outside a form Lark does not show it; here it still renders, but nothing is sent.
  form?.fields.push({ name: e.name, required: !!e.required, el: wrap, value });
  return wrap;
}

function selectPerson(e, ctx, form) {
  // No candidates on the card: Lark offers the chat's members; here, everybody in the demo city.
  const ids = e.options?.length ? e.options.map((o) => o.value) : ctx.people.map((p) => p.openId);
  const el = optionsSelect(e, ctx, ids.map((id) => ({ value: id, label: ctx.nameOf(id) ?? id })), e.initial_option);
  el.classList.add('person');
  const wrap = field(e, ctx, el);
  if (form) form.fields.push({ name: e.name, required: !!e.required, el: wrap, value: () => el.value || undefined });
  else onChange(el, e, ctx, 'select_person');
  return wrap;
}

function datePicker(e, ctx, form) {
  const el = h('input', 'card-date');
  el.type = 'date';
  if (e.initial_date) el.value = e.initial_date;
  el.title = pick(e.placeholder, ctx.lang);
  const wrap = field(e, ctx, el);
  const hint = h('span', 'date-hint muted');
  hint.textContent = pick(e.placeholder, ctx.lang);
  wrap.append(hint);
  // Lark's date picker answers the day with the clicker's zone: "2026-12-05 +0800".
  const value = () => (el.value ? `${el.value} +0800` : undefined);
  if (form) form.fields.push({ name: e.name, required: !!e.required, el: wrap, value });
  else el.onchange = () => callbackValue(e) && ctx.onAction({ value: callbackValue(e), tag: 'date_picker', name: e.name, option: value() });
  return wrap;
}

function onChange(el, e, ctx, tag) {
  el.onchange = () => {
    const value = callbackValue(e);
    if (value && el.value) void ctx.onAction({ value, tag, name: e.name, option: el.value });
  };
}

function overflow(e, ctx) {
  const el = h('select', 'overflow');
  const first = h('option');
  first.value = '';
  first.textContent = '⋯';
  el.append(first);
  for (const o of e.options ?? []) {
    const opt = h('option');
    opt.value = o.value ?? '';
    opt.textContent = pick(o.text, ctx.lang);
    el.append(opt);
  }
  el.onchange = () => {
    const chosen = (e.options ?? []).find((o) => o.value === el.value);
    el.value = '';
    if (!chosen) return;
    const url = chosen.multi_url?.url ?? chosen.multi_url?.pc_url;
    if (url) window.open(url, '_blank', 'noopener');
    const value = callbackValue(e);
    if (value) void ctx.onAction({ value, tag: 'overflow', option: chosen.value });
  };
  return el;
}

function h(tag, cls) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  return el;
}
