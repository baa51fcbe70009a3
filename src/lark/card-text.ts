// Renders a card JSON 2.0 as plain text lines, for terminals (`npm run say`) and logs.
type Node = Record<string, unknown>;

const textOf = (v: unknown): string => {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const n = v as Node;
    if (typeof n.content === 'string') return n.content;
    const i18n = n.i18n_content as Record<string, string> | undefined;
    if (i18n) return i18n.zh_cn ?? Object.values(i18n)[0] ?? '';
  }
  return '';
};

export function cardToText(card: Node): string {
  const lines: string[] = [];
  const header = card.header as Node | undefined;
  if (header?.title) lines.push(`【${textOf(header.title)}】`);
  if (header?.subtitle) lines.push(textOf(header.subtitle));
  const body = (card.body as Node | undefined) ?? {};
  walk((body.elements as Node[] | undefined) ?? [], lines, '');
  return lines.join('\n');
}

function walk(elements: Node[], lines: string[], indent: string) {
  const buttons: string[] = [];
  const flush = () => {
    if (buttons.length) lines.push(indent + buttons.join('  '));
    buttons.length = 0;
  };
  for (const el of elements) {
    const tag = el.tag as string;
    if (tag === 'button') {
      buttons.push(`[${textOf(el.text)}]`);
      continue;
    }
    flush();
    switch (tag) {
      case 'markdown':
      case 'plain_text':
        lines.push(...textOf(el).split('\n').map((l) => indent + l));
        break;
      case 'div':
        lines.push(indent + textOf(el.text));
        break;
      case 'hr':
        lines.push(indent + '────────');
        break;
      case 'img':
        lines.push(`${indent}[图片 image ${String(el.img_key ?? '')}]`);
        break;
      case 'column_set':
        for (const col of (el.columns as Node[] | undefined) ?? []) walk((col.elements as Node[]) ?? [], lines, indent);
        break;
      case 'form':
      case 'collapsible_panel':
      case 'interactive_container':
        walk((el.elements as Node[] | undefined) ?? [], lines, indent + '  ');
        break;
      case 'table': {
        const cols = (el.columns as Node[] | undefined) ?? [];
        lines.push(indent + cols.map((c) => String(c.display_name ?? c.name)).join(' | '));
        for (const row of (el.rows as Node[] | undefined) ?? []) lines.push(indent + cols.map((c) => String(row[c.name as string] ?? '')).join(' | '));
        break;
      }
      case 'input':
      case 'select_static':
      case 'multi_select_static':
      case 'date_picker':
      case 'select_person':
        lines.push(`${indent}<${textOf(el.placeholder) || String(el.name ?? tag)}>`);
        break;
      default:
        break;
    }
  }
  flush();
}
