import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { startFakeLark, type FakeLark } from '../../src/lark/fake/server.ts';
import { seedCity } from './city.ts';
import { LarkSide, SECRETS } from './lark-side.ts';
import { callsBegunInsideResetWindow, readWire, type WireLine } from './wire.ts';
import { fakeLarkEnv, killHard, startServer, stopGracefully, type ServerProcess } from './server-process.ts';

// One chaos run's world: the fake Lark on 127.0.0.1 (Lark's real limits), a libSQL file with a
// small city, and the real server processes on it — started, killed and restarted by the scenarios.

export class World {
  readonly servers: ServerProcess[] = [];
  /** Every server process ever started, for the crash count over the whole run. */
  readonly everStarted: ServerProcess[] = [];
  readonly lark: LarkSide;

  private constructor(
    readonly fake: FakeLark,
    readonly dir: string,
    readonly env: Record<string, string>,
  ) {
    this.lark = new LarkSide(fake, () => this.servers.map((s) => s.url));
  }

  static async create(o: { senders: number }): Promise<World> {
    const fake = await startFakeLark();
    const dir = mkdtempSync(join(tmpdir(), 'wk-chaos-'));
    const env = {
      DATABASE_URL: `file:${join(dir, 'chaos.db')}`,
      BACKUP_DIR: join(dir, 'backups'),
      ...fakeLarkEnv(fake, SECRETS),
      ADMIN_OPEN_IDS: 'ou_chaos_admin',
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn',
    };
    await seedCity(env.DATABASE_URL, { senders: o.senders });
    return new World(fake, dir, env);
  }

  async start(): Promise<ServerProcess> {
    const s = await startServer(this.env, { wireLog: join(this.dir, `wire-${this.everStarted.length + 1}.jsonl`) });
    this.servers.push(s);
    this.everStarted.push(s);
    return s;
  }

  async kill(s: ServerProcess) {
    await killHard(s);
    this.servers.splice(this.servers.indexOf(s), 1);
  }

  async stop(s: ServerProcess) {
    await stopGracefully(s);
    this.servers.splice(this.servers.indexOf(s), 1);
  }

  /** Processing failures the servers logged (each one retried, then the apology) and servers that died on their own. */
  crashes(): { failedEvents: number; unexpectedExits: number } {
    const lines = this.everStarted.flatMap((s) => s.log.join('').split('\n'));
    return {
      failedEvents: lines.filter((l) => l.includes('"event processing failed"') || l.includes('"card action failed"')).length,
      unexpectedExits: this.everStarted.filter((s) => s.proc.exitCode !== null && s.proc.exitCode !== 0 && s.proc.signalCode === null).length,
    };
  }

  /**
   * Open API calls any server began after it had received an app-wide 429 and before its reset
   * (scripts/chaos/wire.ts), counting from `from` (ms since the epoch).
   */
  callsBegunInsideResetWindow(from = 0): WireLine[] {
    return this.everStarted.flatMap((s) => (s.wireLog ? callsBegunInsideResetWindow(readWire(s.wireLog), from) : []));
  }

  /** Apology replies ("something went wrong") the bot sent: an event that crashed every attempt. */
  apologies(): number {
    return this.fake.messages.filter((m) => m.senderOpenId === this.fake.botOpenId && m.content.includes('处理这条消息时出错')).length;
  }

  /** Where unanswered events stand: inbox rows by status, outbox rows not yet delivered (read beside the servers). */
  async queues(): Promise<{ inbox: Record<string, number>; outboxWaiting: number; outboxFailed: number }> {
    const c = createClient({ url: this.env.DATABASE_URL });
    try {
      const inbox = Object.fromEntries((await c.execute('SELECT status, count(*) AS n FROM inbox GROUP BY status')).rows.map((r) => [String(r.status), Number(r.n)]));
      const out = await c.execute("SELECT sum(status IN ('pending', 'sending')) AS waiting, sum(status = 'failed') AS failed FROM outbox");
      return { inbox, outboxWaiting: Number(out.rows[0].waiting ?? 0), outboxFailed: Number(out.rows[0].failed ?? 0) };
    } finally {
      c.close();
    }
  }

  async close() {
    for (const s of [...this.servers]) await this.stop(s);
    await this.fake.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
