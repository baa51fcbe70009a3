import { isSandbox, type Config } from './config.ts';
import { DEFAULT_NAG_LADDER, type NagLadder } from './domain/nag-ladder.ts';

/** What the bot's rules need from configuration, separate from how the process is wired. */
export interface Settings {
  tz: string;
  adminOpenIds: readonly string[];
  hazardDefaults: {
    /** Default rectification period for a general hazard, in days. */
    generalDays: number;
    majorDays: number;
    /** Rectifying a major hazard needs at least one photo. */
    photoRequiredForMajor: boolean;
  };
  nagLadder: NagLadder;
  /** Local HH:mm; nags falling inside wait until the end. */
  quietHours: { start: string; end: string };
  /** Duty roster: local HH:mm of the evening-before shift reminder. Quiet hours never apply to duty reminders. */
  roster: { eveningReminder: string };
  /** The acknowledge-or-escalate ladder: minutes after the in-app buzz, and the paid buzzes a month. */
  escalation: { smsMinutes: number; phoneMinutes: number; nextMinutes: number; smsMonthlyLimit: number; phoneMonthlyLimit: number };
  /** 信息报送: 首报 within these minutes (较大 and above: major), 续报 every followupHours while open. */
  reporting: { firstMinutes: number; firstMinutesMajor: number; followupHours: number };
  /** The optional OpenAI-compatible extractor for plain messages (off when absent). */
  llm?: { baseUrl: string; apiKey?: string; model: string };
  /** Mirrors into Feishu (one-way, off unless configured; ADR 0022): tasks, the duty calendar, the ledger's Bitable. */
  mirrors: MirrorSettings;
  /** Running the service: the Lark call budget, the silence alarm, what housekeeping keeps. */
  ops: {
    /** LARK_MONTHLY_CALL_BUDGET: Lark calls a month before only what matters is sent; undefined = unlimited. */
    monthlyCallBudget?: number;
    /** SILENCE_ALARM_HOURS: no event for this long in working hours tells the admins. */
    silenceAlarmHours: number;
    /** RETENTION_DAYS: job runs, processed-event receipts and the nag digests' log older than this are pruned. */
    retentionDays: number;
  };
}

export interface MirrorSettings {
  /** FEISHU_TASKS=1: a dispatched hazard is a Feishu task for its assignee. */
  tasks: boolean;
  /** FEISHU_TASKLISTS=1 (with tasks): a tasklist per township group, the group subscribed to its activity. */
  tasklists?: boolean;
  /** FEISHU_DUTY_CALENDAR=1: shifts and key periods are events in the shared calendar 值班日历. */
  dutyCalendar: boolean;
  /** FEISHU_BITABLE_APP_TOKEN + FEISHU_BITABLE_TABLE_ID: every hazard is a record in this table. */
  bitable?: { appToken: string; tableId: string };
}

export const NO_MIRRORS: MirrorSettings = { tasks: false, dutyCalendar: false };

export const DEFAULT_ESCALATION: Settings['escalation'] = { smsMinutes: 5, phoneMinutes: 10, nextMinutes: 15, smsMonthlyLimit: 300, phoneMonthlyLimit: 100 };
export const DEFAULT_REPORTING: Settings['reporting'] = { firstMinutes: 60, firstMinutesMajor: 30, followupHours: 24 };

export type HazardDefaults = Settings['hazardDefaults'];

export function makeSettings(overrides: Partial<Settings> & Pick<Settings, 'tz'>): Settings {
  return {
    adminOpenIds: [],
    hazardDefaults: { generalDays: 7, majorDays: 30, photoRequiredForMajor: true },
    nagLadder: DEFAULT_NAG_LADDER,
    quietHours: { start: '22:00', end: '08:00' },
    roster: { eveningReminder: '20:00' },
    escalation: DEFAULT_ESCALATION,
    reporting: DEFAULT_REPORTING,
    ops: { silenceAlarmHours: 12, retentionDays: 90 },
    mirrors: NO_MIRRORS,
    ...overrides,
  };
}

export function settingsFromConfig(c: Config): Settings {
  return makeSettings({
    tz: c.TZ_NAME,
    adminOpenIds: c.ADMIN_OPEN_IDS,
    hazardDefaults: { generalDays: c.HAZARD_GENERAL_DAYS, majorDays: c.HAZARD_MAJOR_DAYS, photoRequiredForMajor: c.HAZARD_MAJOR_NEEDS_PHOTO },
    roster: { eveningReminder: c.ROSTER_EVENING_REMINDER },
    llm: c.LLM_BASE_URL && c.LLM_MODEL ? { baseUrl: c.LLM_BASE_URL, apiKey: c.LLM_API_KEY, model: c.LLM_MODEL } : undefined,
    escalation: {
      smsMinutes: c.ESCALATE_SMS_MINUTES,
      phoneMinutes: c.ESCALATE_PHONE_MINUTES,
      nextMinutes: c.ESCALATE_NEXT_MINUTES,
      smsMonthlyLimit: c.BUZZ_SMS_MONTHLY_LIMIT,
      phoneMonthlyLimit: c.BUZZ_PHONE_MONTHLY_LIMIT,
    },
    reporting: { firstMinutes: c.REPORT_FIRST_MINUTES, firstMinutesMajor: c.REPORT_FIRST_MINUTES_MAJOR, followupHours: c.REPORT_FOLLOWUP_HOURS },
    mirrors: mirrorSettings(c),
    ops: { monthlyCallBudget: c.LARK_MONTHLY_CALL_BUDGET, silenceAlarmHours: c.SILENCE_ALARM_HOURS, retentionDays: c.RETENTION_DAYS },
  });
}

/** The sandbox's own Bitable table (in its fake Feishu), when FEISHU_BITABLE_* are not set. */
export const SANDBOX_BITABLE = { appToken: 'bascnSandboxLedger', tableId: 'tblSandboxLedger' } as const;

/**
 * Which mirrors run. With a real app each is off unless configured; the sandbox's fake Feishu has
 * all three on unless set to 0, so a visitor sees them happen (its panel 飞书 任务 / 日历 / 多维表格).
 */
export function mirrorSettings(c: Config): MirrorSettings {
  const sandbox = isSandbox(c);
  const table = c.FEISHU_BITABLE_APP_TOKEN && c.FEISHU_BITABLE_TABLE_ID ? { appToken: c.FEISHU_BITABLE_APP_TOKEN, tableId: c.FEISHU_BITABLE_TABLE_ID } : undefined;
  return {
    tasks: c.FEISHU_TASKS ?? sandbox,
    tasklists: (c.FEISHU_TASKS ?? sandbox) && (c.FEISHU_TASKLISTS ?? sandbox),
    dutyCalendar: c.FEISHU_DUTY_CALENDAR ?? sandbox,
    bitable: table ?? (sandbox ? { ...SANDBOX_BITABLE } : undefined),
  };
}
