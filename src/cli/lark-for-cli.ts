import type { Config } from '../config.ts';
import { isSandbox } from '../config.ts';
import { startFakeLark, type FakeLark } from '../lark/fake/server.ts';
import { SdkLarkClient } from '../lark/sdk-client.ts';
import { loadOrCreateSandboxInfo, sandboxInfoPath } from '../sandbox/secrets.ts';
import type { Logger } from '../log.ts';

/**
 * The Lark a command-line tool delivers through: the real one when configured; in sandbox mode the
 * running sandbox's fake Lark (so messages show up there), or a fake of its own when none runs.
 */
export async function larkForCli(config: Config, log: Logger): Promise<{ lark: SdkLarkClient; where: string; close(): Promise<void> }> {
  if (!isSandbox(config)) {
    return { lark: new SdkLarkClient({ appId: config.LARK_APP_ID!, appSecret: config.LARK_APP_SECRET!, domain: config.LARK_DOMAIN, log }), where: config.LARK_DOMAIN, close: async () => {} };
  }
  const info = loadOrCreateSandboxInfo(sandboxInfoPath(config.DATABASE_URL));
  if (info.larkUrl && (await reachable(info.larkUrl))) {
    return { lark: new SdkLarkClient({ appId: info.appId, appSecret: info.appSecret, domain: info.larkUrl, log }), where: `sandbox ${info.larkUrl}`, close: async () => {} };
  }
  const fake: FakeLark = await startFakeLark({ appId: info.appId, appSecret: info.appSecret });
  return { lark: new SdkLarkClient({ appId: info.appId, appSecret: info.appSecret, domain: fake.url, log }), where: 'a temporary fake Lark (the sandbox is not running)', close: () => fake.close() };
}

async function reachable(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_fake/calls?since=${Date.now()}`, { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}
