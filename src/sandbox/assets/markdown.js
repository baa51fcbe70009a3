// The markdown Lark cards use, as safe HTML: **bold**, *italic*, ~~strike~~, `code`, lists,
// headings, [text](url), <link url=…>, <font color=…>, <text_tag color=…>, <at id=…>.
// Text is escaped first; only the tags built here reach the page.

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const safeUrl = (u) => (/^https?:\/\//i.test(u) ? encodeURI(decodeURI(u)).replace(/[*~_`]/g, (c) => '%' + c.charCodeAt(0).toString(16)) : '#');
const colorClass = (c) => 'c-' + String(c).replace(/[^a-z_-]/gi, '');

const TAGS =
  /<font\s+color=['"]?([\w-]+)['"]?\s*>([\s\S]*?)<\/font>|<at\s+(?:id|user_id|open_id|email)=['"]?([^'"\s>]+)['"]?\s*>\s*<\/at>|<link\s+url=['"]?([^'"\s>]+)['"]?[^>]*>([\s\S]*?)<\/link>|<text_tag\s+color=['"]?([\w-]+)['"]?\s*>([\s\S]*?)<\/text_tag>|\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g;

/** One line of inline markdown → HTML. */
export function inline(text, ctx) {
  let out = '';
  let last = 0;
  // matchAll works on a copy of the regex, so the recursion below cannot disturb this loop.
  for (const m of String(text).matchAll(TAGS)) {
    out += esc(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) out += `<span class="${colorClass(m[1])}">${inline(m[2], ctx)}</span>`;
    else if (m[3] !== undefined) out += `<span class="at">@${esc(m[3] === 'all' ? '所有人' : (ctx.nameOf?.(m[3]) ?? m[3]))}</span>`;
    else if (m[4] !== undefined) out += `<a href="${safeUrl(m[4])}" target="_blank" rel="noopener">${inline(m[5], ctx)}</a>`;
    else if (m[6] !== undefined) out += `<span class="text-tag ${colorClass(m[6])}">${inline(m[7], ctx)}</span>`;
    else if (m[8] !== undefined) out += `<a href="${safeUrl(m[9])}" target="_blank" rel="noopener">${esc(m[8])}</a>`;
  }
  out += esc(text.slice(last));
  return out
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([\s\S]+?)\*\*/g, '<b>$1</b>')
    .replace(/~~([\s\S]+?)~~/g, '<s>$1</s>')
    .replace(/(^|[^*])\*([^*\s][^*]*?)\*(?!\*)/g, '$1<i>$2</i>');
}

/** A markdown block → HTML: lists and headings by line, other lines joined with <br>. */
export function markdown(text, ctx = {}) {
  const lines = String(text ?? '').split('\n');
  const html = [];
  let list = null;
  let para = [];
  const flushPara = () => {
    if (para.length) html.push(`<p>${para.join('<br>')}</p>`);
    para = [];
  };
  const flushList = () => {
    if (list) html.push(`<${list.tag}>${list.items.map((i) => `<li>${i}</li>`).join('')}</${list.tag}>`);
    list = null;
  };
  for (const line of lines) {
    const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (bullet || numbered) {
      flushPara();
      const tag = bullet ? 'ul' : 'ol';
      if (list?.tag !== tag) flushList();
      list ??= { tag, items: [] };
      list.items.push(inline((bullet ?? numbered)[1], ctx));
      continue;
    }
    flushList();
    if (heading) {
      flushPara();
      html.push(`<div class="h${heading[1].length}">${inline(heading[2], ctx)}</div>`);
    } else if (/^\s*(---|\*\*\*)\s*$/.test(line)) {
      flushPara();
      html.push('<hr>');
    } else {
      para.push(inline(line, ctx));
    }
  }
  flushPara();
  flushList();
  return html.join('');
}

export { esc };
