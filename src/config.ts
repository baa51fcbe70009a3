import { z } from 'zod';

// One schema for the whole environment. Entries read it once and pass the result down;
// nothing else in the code base touches process.env.
const csv = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

/** `1` (or true/yes) turns a feature on, `0` off; unset or empty is undefined (the default decides). */
const flag = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const t = (v ?? '').trim().toLowerCase();
    if (t === '') return undefined;
    if (t === '0' || t === 'false' || t === 'no') return false;
    if (t === '1' || t === 'true' || t === 'yes') return true;
    ctx.addIssue({ code: 'custom', message: 'must be 1 (on) or 0 (off)' });
    return z.NEVER;
  });

const larkDomain = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : 'feishu'))
  .refine((v) => v === 'feishu' || v === 'lark' || /^https?:\/\/[^\s]+$/.test(v), {
    message: 'must be feishu, lark, or a base URL such as http://127.0.0.1:9000',
  });

const intInRange = (def: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

/** A whole number from `min`, or undefined when unset (the feature is off). */
const optionalInt = (min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}, or unset` });
        return z.NEVER;
      }
      return n;
    });

export const configSchema = z
  .object({
    LARK_APP_ID: optionalText,
    LARK_APP_SECRET: optionalText,
    LARK_ENCRYPT_KEY: optionalText,
    LARK_VERIFICATION_TOKEN: optionalText,
    LARK_DOMAIN: larkDomain,
    DATABASE_URL: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? v.trim() : 'file:data/watchkeeper.db'))
      .refine((v) => /^(file:|libsql:\/\/|https?:\/\/|wss?:\/\/|:memory:)/.test(v), {
        message: 'must start with file:, libsql://, http(s):// or ws(s)://',
      }),
    DATABASE_AUTH_TOKEN: optionalText,
    PORT: intInRange(8787, 0, 65535),
    HOST: z.string().optional().transform((v) => (v && v.trim() ? v.trim() : '127.0.0.1')),
    TZ_NAME: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? v.trim() : 'Asia/Shanghai'))
      .refine(isTimeZone, { message: 'must be an IANA time zone such as Asia/Shanghai' }),
    ADMIN_OPEN_IDS: csv,
    LOG_LEVEL: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? v.trim().toLowerCase() : 'info'))
      .pipe(z.enum(['debug', 'info', 'warn', 'error', 'silent'])),
    SANDBOX: z
      .string()
      .optional()
      .transform((v) => v === '1' || v === 'true'),
    EVENT_MAX_AGE_SECONDS: intInRange(300, 1, 86_400),
    /** `off` starts no scheduled jobs in this process (a second, HTTP-only instance; bench/latency). */
    JOBS: z
      .string()
      .optional()
      .transform((v) => !(v && /^(0|off|false|no)$/i.test(v.trim()))),
    HAZARD_GENERAL_DAYS: intInRange(7, 1, 365),
    HAZARD_MAJOR_DAYS: intInRange(30, 1, 365),
    HAZARD_MAJOR_NEEDS_PHOTO: z
      .string()
      .optional()
      .transform((v) => !(v && /^(0|false|no)$/i.test(v.trim()))),
    LARK_EVENT_MODE: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? v.trim().toLowerCase() : 'webhook'))
      .pipe(z.enum(['webhook', 'ws'], { message: 'must be webhook or ws' })),
    LARK_MONTHLY_CALL_BUDGET: optionalInt(1, 1_000_000_000),
    FAKE_LARK_MONTHLY_QUOTA: optionalInt(0, 1_000_000_000),
    STATUS_TOKEN: optionalText,
    SILENCE_ALARM_HOURS: intInRange(12, 1, 24 * 30),
    RETENTION_DAYS: intInRange(90, 1, 3650),
    ROSTER_EVENING_REMINDER: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? v.trim() : '20:00'))
      .refine((v) => /^([01]?\d|2[0-3]):[0-5]\d$/.test(v), { message: 'must be a local time HH:mm such as 20:00' }),
    // Acknowledge-or-escalate ladder (minutes after the first, in-app buzz) and the monthly budget of paid buzzes.
    ESCALATE_SMS_MINUTES: intInRange(5, 1, 1440),
    ESCALATE_PHONE_MINUTES: intInRange(10, 1, 1440),
    ESCALATE_NEXT_MINUTES: intInRange(15, 1, 1440),
    BUZZ_SMS_MONTHLY_LIMIT: intInRange(300, 0, 1_000_000),
    BUZZ_PHONE_MONTHLY_LIMIT: intInRange(100, 0, 1_000_000),
    // 信息报送 deadlines.
    REPORT_FIRST_MINUTES: intInRange(60, 1, 1440),
    REPORT_FIRST_MINUTES_MAJOR: intInRange(30, 1, 1440),
    REPORT_FOLLOWUP_HOURS: intInRange(24, 1, 720),
    /** Where the backup job and `npm run backup` write snapshots of a file database. */
    BACKUP_DIR: z.string().optional().transform((v) => (v && v.trim() ? v.trim() : 'data/backups')),
    BACKUP_KEEP: intInRange(14, 1, 10_000),
    // The optional plain-message extractor: an OpenAI-compatible endpoint the bureau runs itself.
    LLM_BASE_URL: optionalText.refine((v) => v === undefined || /^https?:\/\//.test(v), { message: 'must be an http(s):// URL (the part before /chat/completions)' }),
    LLM_API_KEY: optionalText,
    LLM_MODEL: optionalText,
    // Mirrors into Feishu (issue 19), each off unless configured: Tasks, the duty Calendar, the ledger's Bitable.
    FEISHU_TASKS: flag,
    /** With FEISHU_TASKS: each township group gets a tasklist its hazards' tasks go into, the group subscribed to it. */
    FEISHU_TASKLISTS: flag,
    FEISHU_DUTY_CALENDAR: flag,
    FEISHU_BITABLE_APP_TOKEN: optionalText,
    FEISHU_BITABLE_TABLE_ID: optionalText,
  })
  .superRefine((c, ctx) => {
    if (c.LARK_EVENT_MODE === 'ws' && c.LARK_APP_ID && c.LARK_DOMAIN === 'lark') {
      ctx.addIssue({ code: 'custom', path: ['LARK_EVENT_MODE'], message: 'ws (long connection) exists on Feishu only; Lark international needs webhook' });
    }
    if (!(c.ESCALATE_SMS_MINUTES < c.ESCALATE_PHONE_MINUTES && c.ESCALATE_PHONE_MINUTES < c.ESCALATE_NEXT_MINUTES)) {
      ctx.addIssue({ code: 'custom', path: ['ESCALATE_SMS_MINUTES'], message: 'ESCALATE_SMS_MINUTES < ESCALATE_PHONE_MINUTES < ESCALATE_NEXT_MINUTES must hold' });
    }
    if (!c.FEISHU_BITABLE_APP_TOKEN !== !c.FEISHU_BITABLE_TABLE_ID) {
      const missing = c.FEISHU_BITABLE_APP_TOKEN ? 'FEISHU_BITABLE_TABLE_ID' : 'FEISHU_BITABLE_APP_TOKEN';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required with the other FEISHU_BITABLE_ variable (the Bitable app token and the table id go together)' });
    }
    if (c.LLM_BASE_URL && !c.LLM_MODEL) ctx.addIssue({ code: 'custom', path: ['LLM_MODEL'], message: 'is required when LLM_BASE_URL is set' });
    if (!c.LARK_APP_ID) return; // sandbox mode generates its own secrets
    // The long connection is authenticated by the app secret alone; webhooks need the other two.
    const required = c.LARK_EVENT_MODE === 'ws' ? (['LARK_APP_SECRET'] as const) : (['LARK_APP_SECRET', 'LARK_ENCRYPT_KEY', 'LARK_VERIFICATION_TOKEN'] as const);
    for (const key of required) {
      if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when LARK_APP_ID is set' });
    }
  });

export type Config = z.output<typeof configSchema>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Parse the environment; throws ConfigError with one line per problem, each naming its variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${String(i.path[0] ?? 'config')}: ${i.message}`);
  throw new ConfigError(problems);
}

/** Sandbox mode: no Lark app configured, or explicitly asked for with SANDBOX=1. */
export const isSandbox = (c: Config) => !c.LARK_APP_ID || c.SANDBOX;
