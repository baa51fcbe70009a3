// Reads the two facts the cron check needs from wrangler.toml, without a TOML library:
// the crons line under [triggers] and TZ_NAME under [vars].

export function wranglerCrons(toml: string): string[] {
  const line = /^crons = \[(.*)\]$/m.exec(toml);
  if (!line) throw new Error('wrangler.toml has no `crons = [...]` line');
  return [...line[1].matchAll(/"([^"]*)"/g)].map((m) => m[1]);
}

export function wranglerTz(toml: string): string {
  return /^TZ_NAME = "([^"]+)"$/m.exec(toml)?.[1] ?? 'Asia/Shanghai';
}
