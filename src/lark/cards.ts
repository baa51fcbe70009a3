// Small builders for card JSON 2.0 (schema "2.0"; no 1.0 `action` blocks). Every visible text
// carries Chinese and English: `content` is Chinese (the fallback), `i18n_content` has both.

import type { Bi } from '../bi.ts';

export type Card = Record<string, unknown>;
export type Element = Record<string, unknown>;
export type { Bi };

export const text = ({ zh, en }: Bi) => ({ tag: 'plain_text', content: zh, i18n_content: { zh_cn: zh, en_us: en } });

export type HeaderColor = 'blue' | 'wathet' | 'turquoise' | 'green' | 'yellow' | 'orange' | 'red' | 'carmine' | 'violet' | 'purple' | 'indigo' | 'grey' | 'default';

export function card(o: { title: Bi; subtitle?: Bi; template?: HeaderColor; elements: Element[]; summary?: Bi }): Card {
  return {
    schema: '2.0',
    config: {
      update_multi: true,
      ...(o.summary ? { summary: { content: o.summary.zh, i18n_content: { zh_cn: o.summary.zh, en_us: o.summary.en } } } : {}),
    },
    header: {
      title: text(o.title),
      ...(o.subtitle ? { subtitle: text(o.subtitle) } : {}),
      template: o.template ?? 'blue',
    },
    body: { elements: o.elements },
  };
}

/** Markdown; the English version may be left out for content that is the same in both (numbers, names). */
export function md(zh: string, en?: string): Element {
  return en === undefined ? { tag: 'markdown', content: zh } : { tag: 'markdown', content: zh, i18n_content: { zh_cn: zh, en_us: en } };
}

export const hr = (): Element => ({ tag: 'hr' });

export type ButtonType = 'default' | 'primary' | 'danger' | 'text' | 'primary_text' | 'danger_text' | 'primary_filled' | 'danger_filled' | 'laser';

/** A button that calls back with `value` (always carrying an `action` name the router dispatches on). */
export function button(label: Bi, value: { action: string } & Record<string, unknown>, type: ButtonType = 'default'): Element {
  return { tag: 'button', text: text(label), type, behaviors: [{ type: 'callback', value }] };
}

/** Buttons side by side. */
export function buttonRow(buttons: Element[]): Element {
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    horizontal_spacing: 'small',
    columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
  };
}

/** Label–value pairs two to a row. */
export function fields(pairs: [label: Bi, value: string][]): Element {
  return {
    tag: 'column_set',
    flex_mode: 'bisect',
    columns: pairs.map(([label, value]) => ({
      tag: 'column',
      width: 'weighted',
      weight: 1,
      elements: [md(`**${label.zh}**\n${value}`, `**${label.en}**\n${value}`)],
    })),
  };
}

export function form(name: string, elements: Element[]): Element {
  return { tag: 'form', name, elements };
}

export function input(name: string, placeholder: Bi, o: { required?: boolean; label?: Bi; defaultValue?: string; maxLength?: number } = {}): Element {
  return {
    tag: 'input',
    name,
    placeholder: text(placeholder),
    ...(o.label ? { label: text(o.label), label_position: 'top' } : {}),
    ...(o.defaultValue ? { default_value: o.defaultValue } : {}),
    ...(o.maxLength ? { max_length: o.maxLength } : {}),
    required: o.required ?? false,
  };
}

export function selectStatic(name: string, placeholder: Bi, options: { label: Bi; value: string }[], o: { initial?: string; required?: boolean } = {}): Element {
  return {
    tag: 'select_static',
    name,
    placeholder: text(placeholder),
    options: options.map((x) => ({ text: text(x.label), value: x.value })),
    ...(o.initial ? { initial_option: o.initial } : {}),
    required: o.required ?? false,
  };
}

/**
 * A multi-select; it only works inside a form, whose submit sends `form_value[name]` as an array
 * of the chosen option values. `initial` lists the options selected at first.
 */
export function multiSelectStatic(name: string, placeholder: Bi, options: { label: Bi; value: string }[], o: { initial?: string[]; required?: boolean } = {}): Element {
  return {
    tag: 'multi_select_static',
    name,
    placeholder: text(placeholder),
    options: options.map((x) => ({ text: text(x.label), value: x.value })),
    ...(o.initial?.length ? { selected_values: [...o.initial] } : {}),
    required: o.required ?? false,
  };
}

/** A date picker; `initial` is YYYY-MM-DD. */
export function datePicker(name: string, placeholder: Bi, o: { initial?: string; required?: boolean } = {}): Element {
  return {
    tag: 'date_picker',
    name,
    placeholder: text(placeholder),
    ...(o.initial ? { initial_date: o.initial } : {}),
    required: o.required ?? false,
  };
}

/** A single-person picker; with no candidates Lark offers the members of the chat. */
export function selectPerson(name: string, placeholder: Bi, o: { candidates?: string[]; required?: boolean; initial?: string } = {}): Element {
  return {
    tag: 'select_person',
    name,
    placeholder: text(placeholder),
    ...(o.candidates?.length ? { options: o.candidates.map((value) => ({ value })) } : {}),
    ...(o.initial ? { initial_option: o.initial } : {}),
    required: o.required ?? false,
  };
}

/** The submit button of a form: its value arrives with the form's values in `form_value`. */
export function submitButton(name: string, label: Bi, value: { action: string } & Record<string, unknown>, type: ButtonType = 'primary_filled'): Element {
  return { tag: 'button', name, form_action_type: 'submit', text: text(label), type, behaviors: [{ type: 'callback', value }] };
}

export function table(columns: { name: string; label: Bi; type?: 'text' | 'number' | 'lark_md' }[], rows: Record<string, string | number>[], pageSize = 10): Element {
  return {
    tag: 'table',
    page_size: Math.min(Math.max(pageSize, 1), 10),
    row_height: 'low',
    header_style: { bold: true, background_style: 'grey' },
    columns: columns.map((c) => ({ name: c.name, display_name: `${c.label.zh} ${c.label.en}`, data_type: c.type ?? 'text', width: 'auto' })),
    rows,
  };
}

export function image(imageKey: string, alt: Bi): Element {
  return { tag: 'img', img_key: imageKey, alt: text(alt), scale_type: 'fit_horizontal' };
}
