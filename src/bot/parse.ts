import type { Mention } from '../lark/events.ts';

export interface PersonRef {
  openId: string;
  name: string;
}

export interface ParsedArgs {
  /** Positional words and quoted strings, in order. */
  words: string[];
  /** key:value pairs (also with the full-width colon). Keys keep their case. */
  options: Record<string, string>;
  /** @mentions of people other than the bot, in order. */
  mentions: PersonRef[];
}

export interface ParsedCommand extends ParsedArgs {
  name: string;
  /** Everything after the command name, mentions as names. */
  rest: string;
}

const QUOTES: Record<string, string> = { '"': '"', '“': '”', '「': '」' };

/** Splits on whitespace, keeping "quoted strings" (ASCII and Chinese quotes) as one word. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    // A token may be key:"quoted value"; collect up to whitespace, swallowing quoted runs.
    let token = '';
    while (i < text.length && !/\s/.test(text[i])) {
      const close = QUOTES[text[i]];
      if (close) {
        const end = text.indexOf(close, i + 1);
        if (end === -1) {
          token += text.slice(i + 1);
          i = text.length;
        } else {
          token += text.slice(i + 1, end);
          i = end + 1;
        }
      } else {
        token += text[i++];
      }
    }
    out.push(token);
  }
  return out;
}

export interface ParseOptions {
  mentions: Mention[];
  botOpenId?: string;
  /** In a direct chat the slash may be left out. */
  p2p: boolean;
}

/**
 * Reads a command from message text, or undefined when the text is not a command.
 * Mentions of the bot are dropped; other mentions become people.
 */
export function parseCommand(text: string, opts: ParseOptions): ParsedCommand | undefined {
  const byKey = new Map(opts.mentions.map((m) => [m.key, m]));
  const isBot = (m: Mention | undefined) => !!m && !!opts.botOpenId && m.openId === opts.botOpenId;
  // Drop the bot's mentions wherever they stand ("@bot /help" and "/help @bot").
  const cleaned = text.replace(/@_user_\d+/g, (key) => (isBot(byKey.get(key)) ? ' ' : ` ${key} `)).trim();
  let body: string;
  if (cleaned.startsWith('/') || cleaned.startsWith('／')) body = cleaned.slice(1);
  else if (opts.p2p && cleaned) body = cleaned;
  else return undefined;

  const tokens = tokenize(body);
  const name = (tokens.shift() ?? '').toLowerCase();
  if (!name) return undefined;
  // Option keys are typed by people: a null-prototype table, so `constructor:…` is just a key.
  const parsed: ParsedCommand = { name, words: [], options: Object.create(null) as Record<string, string>, mentions: [], rest: '' };
  const restParts: string[] = [];
  for (const token of tokens) {
    const mention = byKey.get(token);
    if (mention) {
      if (!isBot(mention)) {
        parsed.mentions.push({ openId: mention.openId, name: mention.name });
        restParts.push(`@${mention.name}`);
      }
      continue;
    }
    restParts.push(token);
    const kv = /^([^:：\s]+)[:：](.+)$/.exec(token);
    // `__proto__:…` stays a word: no command has that option, and zod drops such a key from a record.
    if (kv && !/^https?$/i.test(kv[1]) && kv[1] !== '__proto__') parsed.options[kv[1]] = kv[2];
    else parsed.words.push(token);
  }
  parsed.rest = restParts.join(' ');
  return parsed;
}

/** Edit distance, for "did you mean" suggestions. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
