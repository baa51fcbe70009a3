// Which file column is which field. Bureaus keep ledgers with Chinese headers (整改期限,
// 整改资金（万元）), written a little differently from office to office, so a header is matched
// after dropping spaces, folding full-width brackets and letters to their ASCII forms (NFKC) and
// setting a trailing bracketed unit aside: `整改资金 （万元）` and `整改资金(万元)` are both 整改资金.
// A column that declares its units refuses any other (a fine in 万元 read as 元 would be 10,000× off).

export interface ColumnSpec {
  /** Columns every file must have (the canonical English names). */
  required: readonly string[];
  /** Columns a file may leave out; an absent column leaves the stored field as it is. */
  optional?: readonly string[];
  /** Other headers for a column, e.g. `deadline: ['整改期限', '整改时限']`. */
  aliases?: Readonly<Record<string, readonly string[]>>;
  /** Headers read and ignored (序号). */
  ignored?: readonly string[];
  /** The units a column may be given in (`funds: ['万元']`); absent → any trailing bracket is dropped. */
  units?: Readonly<Record<string, readonly string[]>>;
}

export interface HeaderMap {
  /** Canonical column → index in the file's row. */
  index: Map<string, number>;
  /** Canonical column → the header as the person wrote it. */
  seen: Map<string, string>;
  /** Whether the file names its columns in Chinese (then messages name them that way too). */
  chinese: boolean;
  problems: string[];
}

/** `整改资金 （万元）` → { key: '整改资金', unit: '万元' }; English keys are lower-cased. */
export function normalizeHeader(text: string): { key: string; unit: string | null } {
  let t = text.normalize('NFKC').replace(/\s+/g, '');
  let unit: string | null = null;
  const m = /^(.+?)\(([^()]*)\)$/.exec(t);
  if (m) {
    t = m[1];
    unit = m[2];
  }
  return { key: t.toLowerCase(), unit };
}

const hasHan = (s: string) => /\p{Script=Han}/u.test(s);

/** Every header a spec accepts, normalised, → its canonical column ('' for an ignored one). */
function vocabulary(spec: ColumnSpec): Map<string, string> {
  const words = new Map<string, string>();
  for (const c of [...spec.required, ...(spec.optional ?? [])]) {
    words.set(normalizeHeader(c).key, c);
    for (const a of spec.aliases?.[c] ?? []) words.set(normalizeHeader(a).key, c);
  }
  for (const i of spec.ignored ?? []) words.set(normalizeHeader(i).key, '');
  return words;
}

/** How a column is named to the person: its first Chinese header when the file is in Chinese. */
export function columnName(spec: ColumnSpec, column: string, chinese: boolean): string {
  return (chinese && spec.aliases?.[column]?.[0]) || column;
}

/** How many of these cells are headers the spec knows (finds the header row below a title). */
export function knownHeaders(spec: ColumnSpec, cells: readonly string[]): number {
  const words = vocabulary(spec);
  return cells.filter((c) => c.trim() && words.get(normalizeHeader(c).key)).length;
}

/** Matches a header row against the spec: which column is where, or what is wrong with it. */
export function mapHeader(spec: ColumnSpec, cells: readonly string[]): HeaderMap {
  const words = vocabulary(spec);
  const index = new Map<string, number>();
  const seen = new Map<string, string>();
  const unexpected: string[] = [];
  const repeated = new Set<string>();
  const badUnits: string[] = [];
  const chinese = cells.some(hasHan);
  cells.forEach((raw, k) => {
    const text = raw.trim();
    const { key, unit } = normalizeHeader(text);
    const column = words.get(key);
    if (column === '') return;
    if (column === undefined) {
      if (text !== '') unexpected.push(text);
      else if (cells.slice(k).some((c) => c.trim())) unexpected.push('(空 / blank)');
      return;
    }
    if (index.has(column)) {
      repeated.add(text);
      return;
    }
    const units = spec.units?.[column];
    if (unit !== null && units && !units.includes(unit)) badUnits.push(`${text} 的单位应为${units.join('或')} / ${text}: the unit must be ${units.join(' or ')}`);
    index.set(column, k);
    seen.set(column, text);
  });
  const missing = spec.required.filter((c) => !index.has(c)).map((c) => columnName(spec, c, chinese));
  const problems: string[] = [];
  if (missing.length) problems.push(`表头缺少列 / missing columns: ${missing.join(', ')}`);
  if (unexpected.length) problems.push(`表头有多余列 / unexpected columns: ${unexpected.join(', ')}`);
  if (repeated.size) problems.push(`表头列重复 / repeated columns: ${[...repeated].join(', ')}`);
  problems.push(...badUnits);
  return { index, seen, chinese, problems };
}
