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
}

/** Next to the database file, so a fresh database gets fresh sandbox secrets. */
export function sandboxInfoPath(databaseUrl: string): string {
  const file = databaseUrl.startsWith('file:') ? databaseUrl.slice('file:'.length) : 'data/watchkeeper.db';
  return join(dirname(file), 'sandbox.json');
}

const random = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');

export function loadOrCreateSandboxInfo(path: string): SandboxInfo {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as SandboxInfo;
  const info: SandboxInfo = {
    appId: `cli_sandbox_${random(4)}`,
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
