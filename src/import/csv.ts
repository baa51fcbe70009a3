// A small RFC 4180 CSV reader: quoted fields with "" escapes, commas and line breaks inside
// quotes, CRLF / LF (or a lone CR) line ends, a leading UTF-8 BOM dropped, blank lines skipped,
// whitespace around unquoted fields trimmed. Each record carries the 1-based line of the file
// on which it starts, so errors can point at what a person sees in their editor.

export interface CsvRecord {
  /** 1-based line on which the record starts (the header is normally line 1). */
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'CsvError';
  }
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/** Parses CSV text into records; throws CsvError (with a line number) on malformed quoting. */
export function parseCsv(text: string): CsvRecord[] {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const records: CsvRecord[] = [];

  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let quoted = false;

    for (;;) {
      let j = i;
      while (isBlank(text[j])) j++;
      if (text[j] === '"') {
        quoted = true;
        const quoteLine = line;
        let value = '';
        i = j + 1;
        for (;;) {
          if (i >= n) throw new CsvError(quoteLine, '引号未闭合 / unterminated quoted field');
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
          value += c;
          i++;
        }
        while (isBlank(text[i])) i++;
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new CsvError(line, '引号后有多余字符 / unexpected text after a closing quote');
        }
        fields.push(value);
      } else {
        let k = i;
        while (k < n && text[k] !== ',' && text[k] !== '\n' && text[k] !== '\r') k++;
        fields.push(text.slice(i, k).trim());
        i = k;
      }

      if (text[i] === ',') {
        i++;
        continue;
      }
      if (i < n) {
        i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
      }
      break;
    }

    if (!quoted && fields.length === 1 && fields[0] === '') continue; // blank line
    records.push({ line: startLine, fields });
  }
  return records;
}

/**
 * Checks a header row against the expected columns (any order). Returns the problems found
 * (missing, unexpected or repeated columns, each named); an empty list means the header is good.
 */
export function parseHeader(expected: readonly string[], actual: readonly string[]): string[] {
  const names = actual.map((s) => s.trim());
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const name of names) (seen.has(name) ? repeated : seen).add(name);
  const missing = expected.filter((c) => !seen.has(c));
  const extra = [...seen].filter((c) => !expected.includes(c)).map((c) => (c === '' ? '(空 / blank)' : c));
  const problems: string[] = [];
  if (missing.length) problems.push(`表头缺少列 / missing columns: ${missing.join(', ')}`);
  if (extra.length) problems.push(`表头有多余列 / unexpected columns: ${extra.join(', ')}`);
  if (repeated.size) problems.push(`表头列重复 / repeated columns: ${[...repeated].join(', ')}`);
  return problems;
}

/**
 * Bytes of an uploaded or saved CSV → text. UTF-8 first; a file that is not valid UTF-8 is read
 * as GB18030, which is what Excel on a Chinese Windows writes for "CSV (逗号分隔)".
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}
