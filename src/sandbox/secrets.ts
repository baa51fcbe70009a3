import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What sandbox mode generates once and `npm run say` reads to sign its events. */
export interface SandboxInfo {
  appId: string;
  appSecret: string;
  encryptKey: string;
  verificationToken: string;
  /** Where the running Watchkeeper and its fake Lark listen; rewritten at each start. */
  botUrl?: string;
  larkUrl?: string;
  botOpenId?: string;
  /** LARK_EVENT_MODE of the running sandbox: `say` posts to the webhook, or down the long connection. */
  eventMode?: 'webhook' | 'ws';
}

/** The SDK's WSClient takes only app ids of this shape (cli_ and 16 hex digits). */
const APP_ID = /^cli_[0-9a-f]{16}$/;

/** Next to the database file, so a fresh database gets fresh sandbox secrets. */
export function sandboxInfoPath(databaseUrl: string): string {
  const file = databaseUrl.startsWith('file:') ? databaseUrl.slice('file:'.length) : 'data/watchkeeper.db';
  return join(dirname(file), 'sandbox.json');
}

const random = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');

export function loadOrCreateSandboxInfo(path: string): SandboxInfo {
  if (existsSync(path)) {
    const info = JSON.parse(readFileSync(path, 'utf8')) as SandboxInfo;
    if (APP_ID.test(info.appId)) return info;
    // An older sandbox's id (cli_sandbox_…): the long connection would refuse it.
    const upgraded = { ...info, appId: `cli_${random(8)}` };
    saveSandboxInfo(path, upgraded);
    return upgraded;
  }
  const info: SandboxInfo = {
    appId: `cli_${random(8)}`,
    appSecret: random(16),
    encryptKey: random(16),
    verificationToken: random(12),
  };
  saveSandboxInfo(path, info);
  return info;
}

export function saveSandboxInfo(path: string, info: SandboxInfo) {
  mkdirSync(dirname(path), { recursive: true });
  // The file holds secrets: readable by the owner only.
  writeFileSync(path, JSON.stringify(info, null, 2), { mode: 0o600 });
}

export function readSandboxInfo(path: string): SandboxInfo | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as SandboxInfo) : undefined;
}
