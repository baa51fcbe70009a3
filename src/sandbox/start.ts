import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { startFakeLark } from '../lark/fake/server.ts';
import { loadOrCreateSandboxInfo, sandboxInfoPath, saveSandboxInfo } from './secrets.ts';

/**
 * Sandbox mode: no Lark tenant, so the fake Lark runs in-process with generated secrets, and
 * the bot talks to it through the real SDK exactly as it would talk to Feishu. `now` is the
 * sandbox clock, so messages carry sandbox time.
 */
export async function startSandboxLark(config: Config, log: Logger, now?: () => number) {
  const path = sandboxInfoPath(config.DATABASE_URL);
  const info = loadOrCreateSandboxInfo(path);
  const fake = await startFakeLark({ appId: info.appId, appSecret: info.appSecret, now, monthlyQuota: config.FAKE_LARK_MONTHLY_QUOTA });
  return {
    info,
    fake,
    /** Records where things listen (for `npm run say`) and tells the person at the terminal how to start. */
    announce(botUrl: string, opts: { print?: boolean } = {}) {
      saveSandboxInfo(path, { ...info, botUrl, larkUrl: fake.url, botOpenId: fake.botOpenId, eventMode: config.LARK_EVENT_MODE });
      log.info('sandbox mode: no LARK_APP_ID, using the built-in fake Lark', { larkUrl: fake.url, botUrl, eventMode: config.LARK_EVENT_MODE });
      if (!opts.print) return;
      process.stdout.write(
        [
          '',
          `Watchkeeper 沙盒已启动 / the sandbox is running:`,
          `  打开 / open  ${botUrl}/sandbox`,
          `  或在终端对机器人说话 / or talk to the bot from a terminal:  npm run say -- --as 张伟 "/help"`,
          '',
        ].join('\n'),
      );
    },
  };
}
