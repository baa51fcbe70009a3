// A checker for Feishu/Lark card JSON 2.0, written from Feishu's own component docs
// (open.feishu.cn/document/feishu-cards/card-json-v2-structure, …/card-json-v2-components/*,
// …/card-json-v2-breaking-changes-release-notes, …/configure-multi-language-content and
// …/handle-card-callbacks). It covers only the components Watchkeeper uses; any other tag is an
// error, so a new component gets added here, from its doc, before a card may use it.
//
// Doc facts it relies on:
// - 2.0 needs `schema: "2.0"`; components live in `body.elements`. Top-level `elements`,
//   `i18n_elements`, `i18n_header` and `fallback` are 1.0 only.
// - "In JSON 2.0, passing an unsupported attribute is an error" (breaking-changes notes), so every
//   object here has a closed list of keys.
// - `note` and `tag: "action"` were removed in 2.0; `div` (plain text) is still a 2.0 component.
// - `form` and `table` may only sit directly in body.elements; containers nest anything else.
// - At most 200 elements/components per card (plain_text text elements count); at most 5 tables.
// - element_id: letters, digits, underscore, starts with a letter, ≤ 20 chars, unique in the card.
// - Fields inside a form need a `name` unique card-wide; a form needs a submit button
//   (`form_action_type: "submit"`); a button in a form needs `name` and `form_action_type`.
// - `multi_select_static` only works inside a form (嵌套规则); its `selected_values` must be option
//   values, and it reaches the server in form_value as an array of the chosen option values.
// - `config.update_multi` may only be true in 2.0.
//
// Project rules on top of the docs (marked "project rule" in messages):
// - a button outside a form needs `behaviors` (our router dispatches on the callback value);
// - an i18n map carries both zh_cn and en_us (every visible text is bilingual).

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (path: string, key: string) => (path ? `${path}.${key}` : key);
const chars = (s: string) => [...s].length;

export const LOCALES = [
  'zh_cn', 'en_us', 'zh_hk', 'zh_tw', 'ja_jp', 'id_id', 'vi_vn', 'th_th',
  'pt_br', 'es_es', 'ko_kr', 'de_de', 'fr_fr', 'it_it', 'ru_ru', 'ms_my',
] as const;
const HEADER_TEMPLATES = ['blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'carmine', 'violet', 'purple', 'indigo', 'grey', 'default'];
const TEXT_TAG_COLORS = ['neutral', 'blue', 'turquoise', 'lime', 'orange', 'violet', 'indigo', 'wathet', 'green', 'yellow', 'red', 'purple', 'carmine'];
const TEXT_SIZES = [
  'heading-0', 'heading-1', 'heading-2', 'heading-3', 'heading-4', 'heading', 'normal', 'notation',
  'xxxx-large', 'xxx-large', 'xx-large', 'x-large', 'large', 'medium', 'small', 'x-small',
];
const BUTTON_TYPES = ['default', 'primary', 'danger', 'text', 'primary_text', 'danger_text', 'primary_filled', 'danger_filled', 'laser'];
const H_ALIGN = ['left', 'center', 'right'];
const V_ALIGN = ['top', 'center', 'bottom'];
const DIRECTION = ['vertical', 'horizontal'];
const TABLE_DATA_TYPES = ['text', 'lark_md', 'options', 'number', 'persons', 'date', 'markdown'];
const TOAST_TYPES = ['info', 'success', 'error', 'warning'];

/** Text limits the docs state: button text, overflow option text and placeholders hold at most 100 characters. */
export const LIMITS = { buttonText: 100, optionText: 100, placeholder: 100, elements: 200, tables: 5, tableColumns: 50 } as const;

/** 2.0 components this checker does not cover yet: documented, but add them here before using them. */
const NOT_COVERED = [
  'collapsible_panel', 'interactive_container', 'img_combination', 'person', 'person_list', 'chart', 'audio',
  'multi_select_person', 'picker_time', 'picker_datetime', 'select_img', 'checker',
];
const REMOVED_IN_2: Record<string, string> = {
  action: 'tag "action" blocks were removed in JSON 2.0: put buttons directly in elements or in a column_set',
  note: 'the note component was removed in JSON 2.0: use a div with text_size "notation" and text_color "grey"',
};

interface Ctx {
  /** What directly holds this element. */
  parent: 'body' | 'column' | 'form';
  form?: { hasSubmit: boolean };
}

class Check {
  constructor(private readonly root = '(card)') {}
  problems: string[] = [];
  elementIds = new Map<string, string>();
  names = new Map<string, string>();
  count = 0;
  tables = 0;
  customTextSizes = new Set<string>();

  add(path: string, msg: string) {
    this.problems.push(`${path || this.root}: ${msg}`);
  }

  keys(path: string, o: Obj, what: string, allowed: readonly string[], hints: Record<string, string> = {}, why = ' (JSON 2.0 rejects unsupported attributes)') {
    for (const k of Object.keys(o)) {
      if (allowed.includes(k)) continue;
      this.add(path, hints[k] ?? `${what} has no attribute "${k}"${why}`);
    }
  }

  obj(path: string, v: unknown, what: string): v is Obj {
    if (isObj(v)) return true;
    this.add(path, `${what} must be an object`);
    return false;
  }

  str(path: string, v: unknown, o: { required?: boolean; nonEmpty?: boolean; max?: number } = {}): v is string {
    if (v === undefined) {
      if (o.required) this.add(path, 'is required');
      return false;
    }
    if (typeof v !== 'string') {
      this.add(path, 'must be a string');
      return false;
    }
    if (o.nonEmpty && v.length === 0) this.add(path, 'must not be empty');
    if (o.max !== undefined && chars(v) > o.max) this.add(path, `is ${chars(v)} characters; at most ${o.max} allowed`);
    return true;
  }

  bool(path: string, v: unknown) {
    if (v !== undefined && typeof v !== 'boolean') this.add(path, 'must be a boolean');
  }

  int(path: string, v: unknown, min: number, max: number) {
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.add(path, `must be an integer in [${min}, ${max}]`);
  }

  oneOf(path: string, v: unknown, values: readonly string[], o: { required?: boolean } = {}) {
    if (v === undefined) {
      if (o.required) this.add(path, `is required (one of ${values.join('|')})`);
      return;
    }
    if (typeof v !== 'string' || !values.includes(v)) this.add(path, `${JSON.stringify(v)} is not one of ${values.join('|')}`);
  }

  /** A string that is one of `words` or `<n>px` with n in [min, max] (or `<n>%` when `pct` is given). */
  size(path: string, v: unknown, words: readonly string[], px?: [number, number], pct?: [number, number]) {
    if (v === undefined) return;
    if (typeof v === 'string') {
      if (words.includes(v)) return;
      const m = /^(\d+)(px|%)$/.exec(v);
      if (m) {
        const n = Number(m[1]);
        const range = m[2] === 'px' ? px : pct;
        if (range && n >= range[0] && n <= range[1]) return;
      }
    }
    const forms = [...words, ...(px ? [`[${px[0]},${px[1] === Infinity ? '∞' : px[1]}]px`] : []), ...(pct ? [`[${pct[0]},${pct[1]}]%`] : [])];
    this.add(path, `${JSON.stringify(v)} is not ${forms.join('|')}`);
  }

  /** margin ([-99,99]px) and padding ([0,99]px): one to four space-separated values; 0 may go without a unit. */
  box(path: string, v: unknown, allowNegative: boolean) {
    if (v === undefined) return;
    const ok =
      typeof v === 'string' &&
      v.trim().split(/\s+/).length <= 4 &&
      v.trim().split(/\s+/).every((t) => t === '0' || (allowNegative ? /^-?\d{1,2}px$/ : /^\d{1,2}px$/).test(t));
    if (!ok) this.add(path, `${JSON.stringify(v)} is not 1–4 values in [${allowNegative ? -99 : 0},99]px`);
  }

  spacing(path: string, v: unknown) {
    // "default" is not in the field tables but the docs' own samples use it (column: "默认值 default（8px）").
    this.size(path, v, ['small', 'medium', 'large', 'extra_large', 'default'], [0, 99]);
  }

  textSize(path: string, v: unknown) {
    if (v === undefined) return;
    if (typeof v === 'string' && (TEXT_SIZES.includes(v) || this.customTextSizes.has(v))) return;
    this.add(path, `${JSON.stringify(v)} is not a text size (${TEXT_SIZES.join('|')} or a config.style.text_size name)`);
  }

  elementId(path: string, v: unknown) {
    if (v === undefined) return;
    if (typeof v !== 'string' || !/^[A-Za-z][A-Za-z0-9_]{0,19}$/.test(v)) {
      this.add(path, `${JSON.stringify(v)}: element_id is letters, digits and _, starts with a letter, at most 20 characters`);
      return;
    }
    const first = this.elementIds.get(v);
    if (first) this.add(path, `element_id "${v}" is already used at ${first}`);
    else this.elementIds.set(v, path);
  }

  /** `name` of a form or form field: required, and unique in the whole card. */
  name(path: string, v: unknown, what: string) {
    if (typeof v !== 'string' || v.length === 0) {
      this.add(path, `${what} needs a name (unique in the card)`);
      return;
    }
    const first = this.names.get(v);
    if (first) this.add(path, `duplicate name "${v}" (also at ${first}); names must be unique in the card`);
    else this.names.set(v, path);
  }

  /** i18n_content / i18n: locale → string. */
  i18n(path: string, v: unknown, max?: number) {
    if (!this.obj(path, v, 'i18n map')) return;
    for (const [k, s] of Object.entries(v)) {
      if (!(LOCALES as readonly string[]).includes(k)) this.add(at(path, k), `unknown locale (one of ${LOCALES.join('|')})`);
      else this.str(at(path, k), s, { max });
    }
    for (const need of ['zh_cn', 'en_us']) {
      if (!(need in v)) this.add(path, `needs ${need} (project rule: every visible text carries zh_cn and en_us)`);
    }
  }

  /** A text object: { tag: plain_text|lark_md, content and/or i18n_content }. */
  text(path: string, v: unknown, o: { plainOnly?: boolean; max?: number; styled?: boolean; header?: boolean } = {}) {
    if (!this.obj(path, v, 'text')) return;
    this.count++;
    const allowed = ['tag', 'content', 'i18n_content', 'element_id'];
    if (o.styled) allowed.push('text_size', 'text_color', 'text_align', 'lines');
    if (o.header) allowed.push('i18n'); // configure-multi-language-content: header title/subtitle take `i18n`
    this.keys(path, v, 'text', allowed);
    this.oneOf(at(path, 'tag'), v.tag, o.plainOnly ? ['plain_text'] : ['plain_text', 'lark_md'], { required: true });
    this.elementId(at(path, 'element_id'), v.element_id);
    if (v.content === undefined && v.i18n_content === undefined && v.i18n === undefined) this.add(path, 'needs content or i18n_content');
    this.str(at(path, 'content'), v.content, { max: o.max });
    if (v.i18n_content !== undefined) this.i18n(at(path, 'i18n_content'), v.i18n_content, o.max);
    if (v.i18n !== undefined) this.i18n(at(path, 'i18n'), v.i18n, o.max);
    if (o.styled) {
      this.textSize(at(path, 'text_size'), v.text_size);
      this.str(at(path, 'text_color'), v.text_color);
      this.oneOf(at(path, 'text_align'), v.text_align, H_ALIGN);
      this.int(at(path, 'lines'), v.lines, 1, Number.MAX_SAFE_INTEGER);
    }
  }

  icon(path: string, v: unknown) {
    if (v === undefined || !this.obj(path, v, 'icon')) return;
    this.keys(path, v, 'icon', ['tag', 'token', 'color', 'img_key', 'i18n_img_key']);
    this.oneOf(at(path, 'tag'), v.tag, ['standard_icon', 'custom_icon'], { required: true });
    if (v.tag === 'standard_icon') this.str(at(path, 'token'), v.token, { required: true, nonEmpty: true });
    if (v.tag === 'custom_icon') this.str(at(path, 'img_key'), v.img_key, { required: true, nonEmpty: true });
    this.str(at(path, 'color'), v.color);
  }

  confirm(path: string, v: unknown) {
    if (v === undefined || !this.obj(path, v, 'confirm')) return;
    this.keys(path, v, 'confirm', ['title', 'text']);
    if (v.title === undefined) this.add(path, 'confirm needs a title');
    else this.text(at(path, 'title'), v.title, { plainOnly: true });
    if (v.text === undefined) this.add(path, 'confirm needs a text');
    else this.text(at(path, 'text'), v.text, { plainOnly: true });
  }

  multiUrl(path: string, v: unknown) {
    if (v === undefined || !this.obj(path, v, 'multi_url')) return;
    this.keys(path, v, 'multi_url', ['url', 'pc_url', 'ios_url', 'android_url']);
    for (const k of ['url', 'pc_url', 'ios_url', 'android_url']) this.str(at(path, k), v[k]);
  }

  behaviors(path: string, v: unknown) {
    if (!Array.isArray(v) || v.length === 0) {
      this.add(path, 'behaviors must be a non-empty array');
      return;
    }
    v.forEach((b, i) => {
      const p = `${path}[${i}]`;
      if (!this.obj(p, b, 'behavior')) return;
      if (b.type === 'open_url') {
        this.keys(p, b, 'open_url behavior', ['type', 'default_url', 'android_url', 'ios_url', 'pc_url']);
        this.str(at(p, 'default_url'), b.default_url, { required: true, nonEmpty: true });
        for (const k of ['android_url', 'ios_url', 'pc_url']) this.str(at(p, k), b[k]);
      } else if (b.type === 'callback') {
        this.keys(p, b, 'callback behavior', ['type', 'value']);
        if (!isObj(b.value)) this.add(at(p, 'value'), 'a callback behavior needs an object value (the SDK only supports objects)');
      } else {
        this.add(at(p, 'type'), `${JSON.stringify(b.type)} is not open_url|callback`);
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The card

const CARD_KEYS = ['schema', 'config', 'card_link', 'header', 'body'];
const CARD_HINTS: Record<string, string> = {
  elements: 'top-level "elements" is JSON 1.0: in 2.0 they go in body.elements',
  i18n_elements: 'JSON 2.0 has no i18n_elements: use i18n_content on each text',
  i18n_header: 'JSON 2.0 has no i18n_header: use i18n_content in header.title/subtitle',
  fallback: 'JSON 2.0 does not support fallback',
};

/** Problems with a card JSON 2.0 (empty when valid), each prefixed with its JSON path. */
export function checkCard(card: unknown, base = ''): string[] {
  const c = new Check();
  walkCard(c, card, base);
  return c.problems;
}

function walkCard(c: Check, card: unknown, base: string) {
  if (!c.obj(base, card, 'a card')) return;
  c.keys(base, card, 'a card', CARD_KEYS, CARD_HINTS);
  if (card.schema !== '2.0') c.add(at(base, 'schema'), `must be "2.0" (got ${JSON.stringify(card.schema)})`);
  if (card.config !== undefined) config(c, at(base, 'config'), card.config);
  if (card.card_link !== undefined) cardLink(c, at(base, 'card_link'), card.card_link);
  if (card.header !== undefined) header(c, at(base, 'header'), card.header);
  if (card.body !== undefined) body(c, at(base, 'body'), card.body);
  if (c.count > LIMITS.elements) c.add(base, `has ${c.count} elements; a card holds at most ${LIMITS.elements}`);
  if (c.tables > LIMITS.tables) c.add(base, `has ${c.tables} tables; a card holds at most ${LIMITS.tables}`);
}

function config(c: Check, path: string, v: unknown) {
  if (!c.obj(path, v, 'config')) return;
  c.keys(path, v, 'config', [
    'streaming_mode', 'streaming_config', 'summary', 'locales', 'enable_forward', 'update_multi',
    'width_mode', 'use_custom_translation', 'enable_forward_interaction', 'style',
  ], { wide_screen_mode: 'wide_screen_mode is JSON 1.0: use width_mode' });
  for (const k of ['streaming_mode', 'enable_forward', 'use_custom_translation', 'enable_forward_interaction']) c.bool(at(path, k), v[k]);
  if (v.update_multi !== undefined && v.update_multi !== true) c.add(at(path, 'update_multi'), 'JSON 2.0 only supports update_multi: true');
  c.oneOf(at(path, 'width_mode'), v.width_mode, ['default', 'compact', 'fill']);
  if (v.streaming_config !== undefined) c.obj(at(path, 'streaming_config'), v.streaming_config, 'streaming_config');
  if (v.summary !== undefined && c.obj(at(path, 'summary'), v.summary, 'summary')) {
    const s = v.summary;
    c.keys(at(path, 'summary'), s, 'summary', ['content', 'i18n_content']);
    c.str(at(path, 'summary.content'), s.content);
    if (s.i18n_content !== undefined) c.i18n(at(path, 'summary.i18n_content'), s.i18n_content);
  }
  if (v.locales !== undefined) {
    if (!Array.isArray(v.locales)) c.add(at(path, 'locales'), 'must be an array of locales');
    else v.locales.forEach((l, i) => c.oneOf(`${at(path, 'locales')}[${i}]`, l, LOCALES));
  }
  if (v.style !== undefined && c.obj(at(path, 'style'), v.style, 'style')) {
    const st = v.style;
    const sp = at(path, 'style');
    c.keys(sp, st, 'style', ['text_size', 'color']);
    if (st.text_size !== undefined && c.obj(at(sp, 'text_size'), st.text_size, 'text_size')) {
      for (const [name, def] of Object.entries(st.text_size)) {
        const p = at(sp, `text_size.${name}`);
        c.customTextSizes.add(name);
        if (!c.obj(p, def, 'custom text size')) continue;
        c.keys(p, def, 'custom text size', ['default', 'pc', 'mobile']);
        for (const k of ['default', 'pc', 'mobile']) c.oneOf(at(p, k), def[k], TEXT_SIZES);
      }
    }
    if (st.color !== undefined && c.obj(at(sp, 'color'), st.color, 'color')) {
      for (const [name, def] of Object.entries(st.color)) {
        const p = at(sp, `color.${name}`);
        if (!c.obj(p, def, 'custom color')) continue;
        c.keys(p, def, 'custom color', ['light_mode', 'dark_mode']);
        c.str(at(p, 'light_mode'), def.light_mode, { required: true });
        c.str(at(p, 'dark_mode'), def.dark_mode, { required: true });
      }
    }
  }
}

function cardLink(c: Check, path: string, v: unknown) {
  if (!c.obj(path, v, 'card_link')) return;
  c.keys(path, v, 'card_link', ['url', 'pc_url', 'ios_url', 'android_url']);
  for (const k of ['url', 'pc_url', 'ios_url', 'android_url']) c.str(at(path, k), v[k]);
  if (v.url === undefined && (v.pc_url === undefined || v.ios_url === undefined || v.android_url === undefined)) {
    c.add(path, 'card_link needs url, or all of pc_url, ios_url and android_url');
  }
}

function header(c: Check, path: string, v: unknown) {
  if (!c.obj(path, v, 'header')) return;
  c.keys(path, v, 'header', ['title', 'subtitle', 'text_tag_list', 'i18n_text_tag_list', 'template', 'icon', 'padding'], {
    ud_icon: 'ud_icon is JSON 1.0: use icon { tag: "standard_icon", token, color }',
  });
  if (v.title === undefined) c.add(path, 'header needs a title');
  else c.text(at(path, 'title'), v.title, { header: true });
  if (v.subtitle !== undefined) c.text(at(path, 'subtitle'), v.subtitle, { header: true });
  c.oneOf(at(path, 'template'), v.template, HEADER_TEMPLATES);
  c.icon(at(path, 'icon'), v.icon);
  c.box(at(path, 'padding'), v.padding, false);
  if (v.text_tag_list !== undefined) textTags(c, at(path, 'text_tag_list'), v.text_tag_list);
  if (v.i18n_text_tag_list !== undefined && c.obj(at(path, 'i18n_text_tag_list'), v.i18n_text_tag_list, 'i18n_text_tag_list')) {
    for (const [k, list] of Object.entries(v.i18n_text_tag_list)) {
      const p = at(path, `i18n_text_tag_list.${k}`);
      if (!(LOCALES as readonly string[]).includes(k)) c.add(p, 'unknown locale');
      textTags(c, p, list);
    }
  }
}

function textTags(c: Check, path: string, v: unknown) {
  if (!Array.isArray(v)) {
    c.add(path, 'must be an array of text_tag');
    return;
  }
  if (v.length > 3) c.add(path, `has ${v.length} tags; only the first 3 are shown`);
  v.forEach((t, i) => {
    const p = `${path}[${i}]`;
    if (!c.obj(p, t, 'text_tag')) return;
    c.count++;
    c.keys(p, t, 'text_tag', ['tag', 'element_id', 'text', 'color']);
    if (t.tag !== 'text_tag') c.add(at(p, 'tag'), 'must be "text_tag"');
    c.elementId(at(p, 'element_id'), t.element_id);
    if (t.text !== undefined) c.text(at(p, 'text'), t.text, { plainOnly: true });
    c.oneOf(at(p, 'color'), t.color, TEXT_TAG_COLORS);
  });
}

const LAYOUT = ['direction', 'padding', 'horizontal_spacing', 'horizontal_align', 'vertical_spacing', 'vertical_align'];

function layout(c: Check, path: string, v: Obj) {
  c.oneOf(at(path, 'direction'), v.direction, DIRECTION);
  c.box(at(path, 'padding'), v.padding, false);
  c.spacing(at(path, 'horizontal_spacing'), v.horizontal_spacing);
  c.spacing(at(path, 'vertical_spacing'), v.vertical_spacing);
  c.oneOf(at(path, 'horizontal_align'), v.horizontal_align, H_ALIGN);
  c.oneOf(at(path, 'vertical_align'), v.vertical_align, V_ALIGN);
}

function body(c: Check, path: string, v: unknown) {
  if (!c.obj(path, v, 'body')) return;
  c.keys(path, v, 'body', ['elements', ...LAYOUT]);
  layout(c, path, v);
  elements(c, at(path, 'elements'), v.elements, { parent: 'body' });
}

function elements(c: Check, path: string, v: unknown, ctx: Ctx) {
  if (!Array.isArray(v)) {
    c.add(path, 'must be an array of components');
    return;
  }
  v.forEach((e, i) => element(c, `${path}[${i}]`, e, ctx));
}

// ---------------------------------------------------------------------------------------------
// Components

const COMMON = ['tag', 'element_id', 'margin'];

type Walker = (c: Check, path: string, e: Obj, ctx: Ctx) => void;

const COMPONENTS: Record<string, Walker> = {
  markdown(c, path, e) {
    c.keys(path, e, 'markdown', [...COMMON, 'content', 'i18n_content', 'text_size', 'text_align', 'icon'], {
      href: 'markdown href/$urlVal links were removed in JSON 2.0: use <link url=…></link>',
    });
    c.str(at(path, 'content'), e.content, { required: true });
    if (e.i18n_content !== undefined) c.i18n(at(path, 'i18n_content'), e.i18n_content);
    c.textSize(at(path, 'text_size'), e.text_size);
    c.oneOf(at(path, 'text_align'), e.text_align, H_ALIGN);
    c.icon(at(path, 'icon'), e.icon);
  },

  div(c, path, e) {
    // `fields` is not in the 2.0 field table, but the 2.0 lark_md sample uses it.
    c.keys(path, e, 'div', [...COMMON, 'width', 'text', 'icon', 'fields']);
    c.size(at(path, 'width'), e.width, ['fill', 'auto'], [16, 999]);
    if (e.text !== undefined) c.text(at(path, 'text'), e.text, { styled: true });
    c.icon(at(path, 'icon'), e.icon);
    if (e.fields !== undefined) {
      if (!Array.isArray(e.fields)) c.add(at(path, 'fields'), 'must be an array');
      else
        e.fields.forEach((f, i) => {
          const p = `${at(path, 'fields')}[${i}]`;
          if (!c.obj(p, f, 'field')) return;
          c.keys(p, f, 'field', ['is_short', 'text']);
          c.bool(at(p, 'is_short'), f.is_short);
          c.text(at(p, 'text'), f.text, { styled: true });
        });
    }
  },

  hr(c, path, e) {
    c.keys(path, e, 'hr', COMMON);
  },

  img(c, path, e) {
    c.keys(path, e, 'img', [
      ...COMMON, 'img_key', 'i18n_img_key', 'alt', 'title', 'corner_radius', 'scale_type', 'size', 'transparent', 'preview',
      'mode', 'custom_width', 'compact_width', // listed as historical attributes in the 2.0 doc
    ]);
    c.str(at(path, 'img_key'), e.img_key, { required: true, nonEmpty: true });
    if (e.i18n_img_key !== undefined && c.obj(at(path, 'i18n_img_key'), e.i18n_img_key, 'i18n_img_key')) {
      for (const [k, s] of Object.entries(e.i18n_img_key)) {
        if (!(LOCALES as readonly string[]).includes(k)) c.add(at(path, `i18n_img_key.${k}`), 'unknown locale');
        c.str(at(path, `i18n_img_key.${k}`), s, { nonEmpty: true });
      }
    }
    if (e.alt === undefined) c.add(path, 'img needs alt (may have empty content)');
    else c.text(at(path, 'alt'), e.alt, { plainOnly: true });
    if (e.title !== undefined) c.text(at(path, 'title'), e.title, { plainOnly: true });
    c.size(at(path, 'corner_radius'), e.corner_radius, [], [0, Infinity], [0, 100]);
    c.oneOf(at(path, 'scale_type'), e.scale_type, ['crop_center', 'crop_top', 'fit_horizontal']);
    if (e.size !== undefined) {
      const ok =
        typeof e.size === 'string' &&
        (['stretch', 'large', 'medium', 'small', 'tiny'].includes(e.size) ||
          (/^(\d+)px (\d+)px$/.test(e.size) && e.size.split(' ').every((t) => Number.parseInt(t) >= 1 && Number.parseInt(t) <= 1000)));
      if (!ok) c.add(at(path, 'size'), `${JSON.stringify(e.size)} is not stretch|large|medium|small|tiny|"<w>px <h>px" (stretch_without_padding is gone in 2.0)`);
    }
    c.bool(at(path, 'transparent'), e.transparent);
    c.bool(at(path, 'preview'), e.preview);
  },

  table(c, path, e, ctx) {
    c.tables++;
    rootOnly(c, path, 'table', ctx);
    c.keys(path, e, 'table', [...COMMON, 'page_size', 'row_height', 'row_max_height', 'freeze_first_column', 'header_style', 'columns', 'rows']);
    c.int(at(path, 'page_size'), e.page_size, 1, 10);
    c.size(at(path, 'row_height'), e.row_height, ['low', 'middle', 'high', 'auto'], [32, 124]);
    c.size(at(path, 'row_max_height'), e.row_max_height, [], [32, 999]);
    c.bool(at(path, 'freeze_first_column'), e.freeze_first_column);
    const hs = e.header_style;
    if (hs !== undefined && c.obj(at(path, 'header_style'), hs, 'header_style')) {
      const p = at(path, 'header_style');
      c.keys(p, hs, 'header_style', ['text_align', 'text_size', 'background_style', 'text_color', 'bold', 'lines']);
      c.oneOf(at(p, 'text_align'), hs.text_align, H_ALIGN);
      c.oneOf(at(p, 'text_size'), hs.text_size, ['normal', 'heading']);
      c.oneOf(at(p, 'background_style'), hs.background_style, ['grey', 'none']);
      c.oneOf(at(p, 'text_color'), hs.text_color, ['default', 'grey']);
      c.bool(at(p, 'bold'), hs.bold);
      c.int(at(p, 'lines'), hs.lines, 1, Number.MAX_SAFE_INTEGER);
    }
    const types = new Map<string, string>();
    if (!Array.isArray(e.columns)) c.add(at(path, 'columns'), 'table needs a columns array');
    else {
      if (e.columns.length > LIMITS.tableColumns) c.add(at(path, 'columns'), `has ${e.columns.length} columns; only ${LIMITS.tableColumns} are shown`);
      e.columns.forEach((col, i) => {
        const p = `${at(path, 'columns')}[${i}]`;
        if (!c.obj(p, col, 'table column')) return;
        c.keys(p, col, 'table column', ['name', 'display_name', 'width', 'vertical_align', 'horizontal_align', 'data_type', 'format', 'date_format']);
        if (c.str(at(p, 'name'), col.name, { required: true, nonEmpty: true })) {
          if (types.has(col.name)) c.add(at(p, 'name'), `duplicate column name "${col.name}"`);
          types.set(col.name, String(col.data_type));
        }
        c.str(at(p, 'display_name'), col.display_name);
        c.size(at(p, 'width'), col.width, ['auto'], [80, 600], [1, 100]);
        c.oneOf(at(p, 'vertical_align'), col.vertical_align, V_ALIGN);
        c.oneOf(at(p, 'horizontal_align'), col.horizontal_align, H_ALIGN);
        c.oneOf(at(p, 'data_type'), col.data_type, TABLE_DATA_TYPES, { required: true });
        if (col.format !== undefined) {
          if (col.data_type !== 'number') c.add(at(p, 'format'), 'format only applies to data_type "number"');
          if (c.obj(at(p, 'format'), col.format, 'format')) {
            c.keys(at(p, 'format'), col.format, 'format', ['precision', 'symbol', 'separator']);
            c.int(at(p, 'format.precision'), col.format.precision, 0, 10);
            c.str(at(p, 'format.symbol'), col.format.symbol, { max: 1 });
            c.bool(at(p, 'format.separator'), col.format.separator);
          }
        }
        if (col.date_format !== undefined) {
          if (col.data_type !== 'date') c.add(at(p, 'date_format'), 'date_format only applies to data_type "date"');
          c.str(at(p, 'date_format'), col.date_format);
        }
      });
    }
    if (!Array.isArray(e.rows)) c.add(at(path, 'rows'), 'table needs a rows array');
    else
      e.rows.forEach((row, i) => {
        const p = `${at(path, 'rows')}[${i}]`;
        if (!c.obj(p, row, 'table row')) return;
        for (const [k, cell] of Object.entries(row)) {
          const type = types.get(k);
          if ((type === 'number' || type === 'date') && cell !== null && typeof cell !== 'number') {
            c.add(at(p, k), `column "${k}" is ${type}: the cell must be a number${type === 'date' ? ' (Unix ms)' : ''}`);
          }
        }
      });
  },

  column_set(c, path, e, ctx) {
    c.keys(path, e, 'column_set', [...COMMON, 'horizontal_spacing', 'horizontal_align', 'flex_mode', 'background_style', 'action', 'columns']);
    c.spacing(at(path, 'horizontal_spacing'), e.horizontal_spacing);
    c.oneOf(at(path, 'horizontal_align'), e.horizontal_align, H_ALIGN);
    c.oneOf(at(path, 'flex_mode'), e.flex_mode, ['none', 'stretch', 'flow', 'bisect', 'trisect']);
    c.str(at(path, 'background_style'), e.background_style);
    layoutAction(c, at(path, 'action'), e.action);
    if (!Array.isArray(e.columns)) {
      c.add(at(path, 'columns'), 'column_set needs a columns array');
      return;
    }
    e.columns.forEach((col, i) => column(c, `${at(path, 'columns')}[${i}]`, col, ctx));
  },

  form(c, path, e, ctx) {
    rootOnly(c, path, 'form', ctx);
    c.keys(path, e, 'form', [...COMMON, 'name', 'elements', ...LAYOUT]);
    c.name(path, e.name, 'form');
    layout(c, path, e);
    const form = { hasSubmit: false };
    elements(c, at(path, 'elements'), e.elements, { parent: 'form', form });
    if (!form.hasSubmit) c.add(path, 'form needs a button with form_action_type "submit"');
  },

  button(c, path, e, ctx) {
    c.keys(
      path,
      e,
      'button',
      [...COMMON, 'type', 'size', 'width', 'text', 'icon', 'hover_tips', 'disabled', 'disabled_tips', 'confirm', 'behaviors', 'name', 'form_action_type'],
      {
        value: 'button "value" is JSON 1.0: use behaviors [{ type: "callback", value }]',
        url: 'button "url" is JSON 1.0: use behaviors [{ type: "open_url", default_url }]',
        multi_url: 'button "multi_url" is JSON 1.0: use behaviors [{ type: "open_url", … }]',
        action_type: 'button "action_type" is JSON 1.0: use form_action_type (submit|reset)',
      },
    );
    c.oneOf(at(path, 'type'), e.type, BUTTON_TYPES);
    c.oneOf(at(path, 'size'), e.size, ['tiny', 'small', 'medium', 'large']);
    c.size(at(path, 'width'), e.width, ['default', 'fill'], [100, Infinity]);
    if (e.text !== undefined) c.text(at(path, 'text'), e.text, { plainOnly: true, max: LIMITS.buttonText });
    c.icon(at(path, 'icon'), e.icon);
    if (e.hover_tips !== undefined) c.text(at(path, 'hover_tips'), e.hover_tips, { plainOnly: true });
    c.bool(at(path, 'disabled'), e.disabled);
    if (e.disabled_tips !== undefined) c.text(at(path, 'disabled_tips'), e.disabled_tips, { plainOnly: true });
    c.confirm(at(path, 'confirm'), e.confirm);
    if (ctx.form) {
      c.name(path, e.name, 'a button in a form');
      c.oneOf(at(path, 'form_action_type'), e.form_action_type, ['submit', 'reset'], { required: true });
      if (e.form_action_type === 'submit') ctx.form.hasSubmit = true;
      if (e.behaviors !== undefined) c.behaviors(at(path, 'behaviors'), e.behaviors);
    } else {
      if (e.form_action_type !== undefined) c.add(at(path, 'form_action_type'), 'form_action_type only works on a button inside a form');
      if (e.behaviors === undefined) c.add(path, 'button needs behaviors (project rule; the doc marks behaviors required)');
      else c.behaviors(at(path, 'behaviors'), e.behaviors);
    }
  },

  input(c, path, e, ctx) {
    c.keys(path, e, 'input', [
      ...COMMON, 'name', 'required', 'disabled', 'disabled_tips', 'placeholder', 'default_value', 'i18n_default_value', 'width',
      'behaviors', 'max_length', 'input_type', 'show_icon', 'rows', 'auto_resize', 'max_rows', 'label', 'label_position',
      'value', 'confirm', // `value` is listed as a historical attribute in the 2.0 doc
    ]);
    field(c, path, e, ctx, 'input');
    if (e.placeholder !== undefined) c.text(at(path, 'placeholder'), e.placeholder, { plainOnly: true, max: LIMITS.placeholder });
    c.str(at(path, 'default_value'), e.default_value);
    if (e.i18n_default_value !== undefined) c.i18n(at(path, 'i18n_default_value'), e.i18n_default_value);
    c.int(at(path, 'max_length'), e.max_length, 1, 1000);
    if (typeof e.default_value === 'string' && chars(e.default_value) > (typeof e.max_length === 'number' ? e.max_length : 1000)) {
      c.add(at(path, 'default_value'), 'is longer than max_length');
    }
    c.oneOf(at(path, 'input_type'), e.input_type, ['text', 'multiline_text', 'password']);
    c.bool(at(path, 'show_icon'), e.show_icon);
    c.int(at(path, 'rows'), e.rows, 1, Number.MAX_SAFE_INTEGER);
    c.bool(at(path, 'auto_resize'), e.auto_resize);
    c.int(at(path, 'max_rows'), e.max_rows, 1, Number.MAX_SAFE_INTEGER);
    if (e.label !== undefined) c.text(at(path, 'label'), e.label, { plainOnly: true });
    c.oneOf(at(path, 'label_position'), e.label_position, ['top', 'left']);
  },

  select_static(c, path, e, ctx) {
    c.keys(path, e, 'select_static', [
      ...COMMON, 'type', 'name', 'required', 'disabled', 'initial_option', 'initial_index', 'placeholder', 'width', 'behaviors', 'options', 'confirm',
    ]);
    field(c, path, e, ctx, 'select_static');
    c.oneOf(at(path, 'type'), e.type, ['default', 'text']);
    // The select_static doc states no placeholder limit; its sister pickers say 100.
    if (e.placeholder !== undefined) c.text(at(path, 'placeholder'), e.placeholder, { plainOnly: true, max: LIMITS.placeholder });
    c.str(at(path, 'initial_option'), e.initial_option);
    if (!Array.isArray(e.options) || e.options.length === 0) {
      c.add(at(path, 'options'), 'select_static needs a non-empty options array');
      return;
    }
    c.int(at(path, 'initial_index'), e.initial_index, 0, e.options.length);
    staticOptions(c, at(path, 'options'), e.options);
  },

  // interactive-components/multi-select-dropdown-menu: "仅支持内嵌在表单容器中使用"; the submit
  // sends form_value[name] as an array of the chosen option values.
  multi_select_static(c, path, e, ctx) {
    c.keys(path, e, 'multi_select_static', [
      ...COMMON, 'type', 'name', 'required', 'disabled', 'selected_values', 'placeholder', 'width', 'behaviors', 'options', 'confirm',
    ]);
    if (!ctx.form) c.add(path, 'multi_select_static only works inside a form (the doc: it is submitted by the form\'s submit button)');
    field(c, path, e, ctx, 'multi_select_static');
    c.oneOf(at(path, 'type'), e.type, ['default', 'text']);
    if (e.placeholder !== undefined) c.text(at(path, 'placeholder'), e.placeholder, { plainOnly: true, max: LIMITS.placeholder });
    // The doc marks options optional, but a multi-select with nothing to choose is a mistake here.
    if (!Array.isArray(e.options) || e.options.length === 0) {
      c.add(at(path, 'options'), 'multi_select_static needs a non-empty options array');
      return;
    }
    const values = staticOptions(c, at(path, 'options'), e.options);
    if (e.selected_values !== undefined) {
      const p = at(path, 'selected_values');
      if (!Array.isArray(e.selected_values)) c.add(p, 'must be an array of option values');
      else {
        const chosen = new Set<string>();
        e.selected_values.forEach((v, i) => {
          const q = `${p}[${i}]`;
          if (!c.str(q, v, { required: true })) return;
          if (!values.has(v)) c.add(q, `${JSON.stringify(v)} is not the value of one of the options (the doc: items must match options.value)`);
          else if (chosen.has(v)) c.add(q, `${JSON.stringify(v)} is selected twice`);
          chosen.add(v);
        });
      }
    }
  },

  date_picker(c, path, e, ctx) {
    c.keys(path, e, 'date_picker', [
      ...COMMON, 'name', 'required', 'disabled', 'width', 'behaviors', 'initial_date', 'placeholder', 'value', 'confirm',
    ]);
    field(c, path, e, ctx, 'date_picker');
    if (e.placeholder !== undefined) c.text(at(path, 'placeholder'), e.placeholder, { plainOnly: true, max: LIMITS.placeholder });
    if (c.str(at(path, 'initial_date'), e.initial_date) && !isDate(e.initial_date)) {
      c.add(at(path, 'initial_date'), `${JSON.stringify(e.initial_date)} is not a yyyy-MM-dd date`);
    }
    if (e.value !== undefined && !isObj(e.value)) c.add(at(path, 'value'), 'must be an object');
  },

  select_person(c, path, e, ctx) {
    c.keys(path, e, 'select_person', [
      ...COMMON, 'type', 'name', 'required', 'disabled', 'initial_option', 'placeholder', 'width', 'behaviors', 'options', 'confirm',
    ]);
    field(c, path, e, ctx, 'select_person');
    c.oneOf(at(path, 'type'), e.type, ['default', 'text']);
    if (e.placeholder !== undefined) c.text(at(path, 'placeholder'), e.placeholder, { plainOnly: true, max: LIMITS.placeholder });
    const values: string[] = [];
    if (e.options !== undefined) {
      if (!Array.isArray(e.options)) c.add(at(path, 'options'), 'must be an array of { value: open_id }');
      else
        e.options.forEach((opt, i) => {
          const p = `${at(path, 'options')}[${i}]`;
          if (!c.obj(p, opt, 'option')) return;
          c.keys(p, opt, 'select_person option', ['value']);
          if (c.str(at(p, 'value'), opt.value, { required: true })) {
            if (!opt.value.startsWith('ou_')) c.add(at(p, 'value'), `${JSON.stringify(opt.value)} is not an open_id (options only take open_ids)`);
            values.push(opt.value);
          }
        });
    }
    if (c.str(at(path, 'initial_option'), e.initial_option) && values.length && !values.includes(e.initial_option)) {
      c.add(at(path, 'initial_option'), 'must be the open_id of one of the options');
    }
  },

  overflow(c, path, e) {
    c.keys(path, e, 'overflow', [...COMMON, 'width', 'options', 'behaviors', 'confirm']);
    c.size(at(path, 'width'), e.width, ['default', 'fill'], [100, Infinity]);
    if (e.behaviors !== undefined) c.behaviors(at(path, 'behaviors'), e.behaviors);
    c.confirm(at(path, 'confirm'), e.confirm);
    if (!Array.isArray(e.options) || e.options.length === 0) {
      c.add(at(path, 'options'), 'overflow needs a non-empty options array');
      return;
    }
    e.options.forEach((opt, i) => {
      const p = `${at(path, 'options')}[${i}]`;
      if (!c.obj(p, opt, 'option')) return;
      c.keys(p, opt, 'overflow option', ['text', 'multi_url', 'value']);
      if (opt.text !== undefined) c.text(at(p, 'text'), opt.text, { plainOnly: true, max: LIMITS.optionText });
      c.multiUrl(at(p, 'multi_url'), opt.multi_url);
      c.str(at(p, 'value'), opt.value);
    });
  },
};

function element(c: Check, path: string, e: unknown, ctx: Ctx) {
  if (!isObj(e)) {
    c.add(path, 'a component must be an object with a tag');
    return;
  }
  if (typeof e.tag !== 'string') {
    c.add(path, 'a component needs a tag');
    return;
  }
  c.count++;
  const walk = COMPONENTS[e.tag];
  if (!walk) {
    if (REMOVED_IN_2[e.tag]) c.add(path, REMOVED_IN_2[e.tag]);
    else if (NOT_COVERED.includes(e.tag)) c.add(path, `"${e.tag}" is a JSON 2.0 component test/support/card-check.ts does not cover yet: add it from its doc first`);
    else if (e.tag === 'column') c.add(path, 'a column may only sit in a column_set\'s columns');
    else c.add(path, `unknown tag "${e.tag}" (add new components to test/support/card-check.ts from their doc)`);
    return;
  }
  c.elementId(at(path, 'element_id'), e.element_id);
  c.box(at(path, 'margin'), e.margin, true);
  walk(c, path, e, ctx);
}

function rootOnly(c: Check, path: string, tag: string, ctx: Ctx) {
  if (ctx.parent !== 'body' || ctx.form) c.add(path, `${tag} may only sit directly in body.elements (it cannot be nested)`);
}

function column(c: Check, path: string, col: unknown, ctx: Ctx) {
  if (!c.obj(path, col, 'column')) return;
  if (col.tag !== 'column') c.add(at(path, 'tag'), 'a column_set column needs tag "column"');
  c.count++;
  c.keys(path, col, 'column', [
    'tag', 'element_id', 'background_style', 'width', 'weight', 'horizontal_spacing', 'horizontal_align',
    'vertical_align', 'vertical_spacing', 'direction', 'padding', 'margin', 'elements', 'action',
  ]);
  c.elementId(at(path, 'element_id'), col.element_id);
  c.str(at(path, 'background_style'), col.background_style);
  c.size(at(path, 'width'), col.width, ['auto', 'weighted'], [16, 600]);
  c.int(at(path, 'weight'), col.weight, 1, 5);
  layout(c, path, col);
  c.box(at(path, 'margin'), col.margin, true);
  layoutAction(c, at(path, 'action'), col.action);
  if (col.elements !== undefined) elements(c, at(path, 'elements'), col.elements, { parent: 'column', form: ctx.form });
}

function layoutAction(c: Check, path: string, v: unknown) {
  if (v === undefined || !c.obj(path, v, 'action')) return;
  c.keys(path, v, 'action', ['multi_url']);
  c.multiUrl(at(path, 'multi_url'), v.multi_url);
}

/** What input, select_static, multi_select_static, date_picker and select_person share. */
function field(c: Check, path: string, e: Obj, ctx: Ctx, tag: string) {
  if (ctx.form) c.name(path, e.name, `${tag} in a form`);
  else {
    c.str(at(path, 'name'), e.name);
    // "required … only usable inside a form; elsewhere it errors or has no effect"
    if (e.required === true) c.add(at(path, 'required'), 'required: true only works inside a form');
  }
  c.bool(at(path, 'required'), e.required);
  c.bool(at(path, 'disabled'), e.disabled);
  if (e.disabled_tips !== undefined) c.text(at(path, 'disabled_tips'), e.disabled_tips, { plainOnly: true });
  c.size(at(path, 'width'), e.width, ['default', 'fill'], [100, Infinity]);
  if (e.behaviors !== undefined) c.behaviors(at(path, 'behaviors'), e.behaviors);
  c.confirm(at(path, 'confirm'), e.confirm);
}

/** The options of select_static and multi_select_static: { text: plain_text, icon?, value } with distinct values; returns the values. */
function staticOptions(c: Check, path: string, options: unknown[]): Set<string> {
  const seen = new Set<string>();
  options.forEach((opt, i) => {
    const p = `${path}[${i}]`;
    if (!c.obj(p, opt, 'option')) return;
    c.keys(p, opt, 'option', ['text', 'icon', 'value']);
    if (opt.text === undefined) c.add(p, 'option needs text');
    else c.text(at(p, 'text'), opt.text, { plainOnly: true });
    c.icon(at(p, 'icon'), opt.icon);
    if (c.str(at(p, 'value'), opt.value, { required: true, nonEmpty: true })) {
      if (seen.has(opt.value)) c.add(at(p, 'value'), `duplicate option value "${opt.value}" (the doc: values must not repeat)`);
      seen.add(opt.value);
    }
  });
  return seen;
}

function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

// ---------------------------------------------------------------------------------------------
// card.action.trigger callback response

/**
 * Problems with the body answering a card.action.trigger callback: `{}`, or
 * `{ toast?: { type, content, i18n? }, card?: { type: 'raw', data: card } | { type: 'template', data: { template_id, … } } }`.
 */
export function checkCardResponse(body: unknown): string[] {
  const c = new Check('(response)');
  if (!c.obj('', body, 'a callback response')) return c.problems;
  c.keys('', body, 'a callback response', ['toast', 'card'], {}, '');
  if (body.toast !== undefined && c.obj('toast', body.toast, 'toast')) {
    const t = body.toast;
    c.keys('toast', t, 'toast', ['type', 'content', 'i18n'], {}, '');
    c.oneOf('toast.type', t.type, TOAST_TYPES, { required: true });
    c.str('toast.content', t.content, { required: true });
    if (t.i18n !== undefined) c.i18n('toast.i18n', t.i18n);
  }
  if (body.card !== undefined && c.obj('card', body.card, 'card')) {
    const card = body.card;
    c.keys('card', card, 'card', ['type', 'data'], {}, '');
    if (card.type === 'raw') c.problems.push(...checkCard(card.data, 'card.data'));
    else if (card.type === 'template') {
      if (c.obj('card.data', card.data, 'template data')) {
        c.keys('card.data', card.data, 'template data', ['template_id', 'template_version_name', 'template_variable']);
        c.str('card.data.template_id', card.data.template_id, { required: true, nonEmpty: true });
        c.str('card.data.template_version_name', card.data.template_version_name);
        if (card.data.template_variable !== undefined) c.obj('card.data.template_variable', card.data.template_variable, 'template_variable');
      }
    } else c.add('card.type', `${JSON.stringify(card.type)} is not raw|template`);
  }
  return c.problems;
}
