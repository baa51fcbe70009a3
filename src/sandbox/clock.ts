import type { Db } from '../db/client.ts';
import { settings } from '../db/schema.ts';
import { eq } from 'drizzle-orm';

// Sandbox time: the wall clock plus an offset that only grows, so a person at the sandbox page
// can jump ahead to watch deadlines pass and reminders arrive. It is the domain clock of the
// sandbox runtime; signed webhook timestamps stay on wall time.

const OFFSET_KEY = 'sandbox_clock_offset_ms';

export class SandboxClock {
  constructor(
    private offsetMs = 0,
    private readonly wall: () => number = Date.now,
  ) {}

  /** Sandbox "now". An arrow so it can be passed around as a plain `() => Date`. */
  readonly now = (): Date => new Date(this.wall() + this.offsetMs);

  get offset(): number {
    return this.offsetMs;
  }

  /** Moves sandbox time forward by `ms` (whole, positive); time never goes back. */
  advance(ms: number): Date {
    if (!Number.isSafeInteger(ms) || ms <= 0) throw new RangeError('the sandbox clock only moves forward');
    this.offsetMs += ms;
    return this.now();
  }
}

/** The offset is kept in the database, so a restarted sandbox never lands before its own data. */
export async function loadClockOffset(db: Db): Promise<number> {
  const [row] = await db.select().from(settings).where(eq(settings.key, OFFSET_KEY)).limit(1);
  const n = Number(row?.value ?? 0);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

export async function saveClockOffset(db: Db, offsetMs: number, now: Date): Promise<void> {
  const value = String(offsetMs);
  await db
    .insert(settings)
    .values({ key: OFFSET_KEY, value, updatedAt: now.getTime() })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now.getTime() } });
}

/** `90m`, `3h`, `2d`, `1w`, or combinations like `1d 6h` → ms; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const parts = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return undefined;
  const unit: Record<string, number> = { m: 60_000, min: 60_000, h: 3600_000, d: 86_400_000, w: 7 * 86_400_000 };
  let total = 0;
  for (const p of parts) {
    const m = /^(\d{1,4})(m|min|h|d|w)$/.exec(p);
    if (!m) return undefined;
    total += Number(m[1]) * unit[m[2]];
  }
  return total > 0 ? total : undefined;
}
