import type { Config } from './config.ts';

/** What the bot's rules need from configuration, separate from how the process is wired. */
export interface Settings {
  tz: string;
  adminOpenIds: readonly string[];
}

export function settingsFromConfig(c: Config): Settings {
  return { tz: c.TZ_NAME, adminOpenIds: c.ADMIN_OPEN_IDS };
}
