// The check every server log in the tests goes through (README "no secret ... is ever logged"):
// no secret value and no tenant token at any level, and no text a user wrote above debug.

const LEVELS: Record<string, number> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Tenant access tokens as Lark issues them (t-g…) and the fake does (t-fake_…). */
const TENANT_TOKEN = /\bt-[A-Za-z0-9_]{12,}/;
/** Texts shorter than this are words any log might hold ("/help"); longer ones are what people wrote. */
const MIN_TEXT = 4;

export interface LogScanRules {
  /** Secret values: LARK_APP_SECRET, LARK_ENCRYPT_KEY, LARK_VERIFICATION_TOKEN, DATABASE_AUTH_TOKEN … */
  secrets: string[];
  /** Decrypted message texts the test sent. */
  texts: string[];
}

/** Every rule a line breaks, as "line N (level): what"; empty when the log is clean. */
export function scanLogs(lines: string[], rules: LogScanRules): string[] {
  const secrets = rules.secrets.filter((s) => s.length > 0);
  const texts = [...new Set(rules.texts.map((t) => t.trim()).filter((t) => t.length >= MIN_TEXT))];
  const problems: string[] = [];
  lines.forEach((line, i) => {
    const level = levelOf(line);
    const where = `line ${i + 1} (${level})`;
    for (const s of secrets) if (contains(line, s)) problems.push(`${where}: a secret value: ${line.slice(0, 200)}`);
    if (TENANT_TOKEN.test(line)) problems.push(`${where}: a tenant token: ${line.slice(0, 200)}`);
    if ((LEVELS[level] ?? 40) < LEVELS.info) return;
    for (const t of texts) if (contains(line, t)) problems.push(`${where}: message text ${JSON.stringify(t.slice(0, 40))}: ${line.slice(0, 200)}`);
  });
  return problems;
}

/** A JSON log line's level; anything else a process prints (a crash, a config error) counts as error. */
function levelOf(line: string): string {
  try {
    const parsed = JSON.parse(line) as { level?: unknown };
    return typeof parsed.level === 'string' ? parsed.level : 'error';
  } catch {
    return 'error';
  }
}

/** As written, or as JSON.stringify escapes it inside a log line. */
const contains = (line: string, value: string) => line.includes(value) || line.includes(JSON.stringify(value).slice(1, -1));
