// The 2026 calendar ships with Watchkeeper: a fresh database has it with no import, the shipped CSV
// and the migration that loads it agree, and a year with no calendar is named to the admins once.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc, gte } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, textOf, type Harness } from './support/harness.ts';
import { addPerson } from './support/seed.ts';
import { addShift, bj, body, runJob, to } from './support/roster-helpers.ts';
import { holidays, jobRuns, keyPeriods, outbox, shifts } from '../src/db/schema.ts';
import { findJob } from '../jobs/index.ts';
import { parseCsv } from '../src/import/csv.ts';
import { runImport } from '../src/import/framework.ts';
import { holidaysImporter } from '../src/import/holidays.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const shippedCsv = readFileSync(join(root, 'data/holidays/2026.csv'), 'utf8');
const NOTICE_2027 = '2027年节假日安排尚未导入，请管理员导入（npm run import -- holidays 文件）。';
const NOTICE_2027_EN = 'The 2027 holiday calendar is not loaded yet';
const ADMIN = 'ou_admin';
const ZHANG = 'ou_zhang';
const WANG = 'ou_wang';
const gapsJob = findJob('roster-gaps')!;
let h: Harness;

const reply = async (who: string, text: string) => {
  const { replies } = await h.say(who, text);
  expect(replies).toHaveLength(1);
  return replies[0];
};

beforeAll(async () => {
  // A fresh database: migrations only, no holiday import anywhere in this file's set-up.
  h = await startHarness({ adminOpenIds: [ADMIN], start: bj('2026-09-30T10:00:00') });
  await addPerson(h.db, ADMIN, '管理员', 'admin');
  await addPerson(h.db, ZHANG, '张伟', 'admin|leader', { mobile: '13900000001' });
  await addPerson(h.db, WANG, '王强', 'officer', { mobile: '13900000005' });
});
afterAll(() => h.close());
beforeEach(async () => {
  for (const t of [shifts, outbox, jobRuns, keyPeriods]) await h.db.delete(t);
  // Years imported by a test go again; 2026 stays as the migrations loaded it.
  await h.db.delete(holidays).where(gte(holidays.date, '2027-01-01'));
  h.fake.reset();
  h.setNow(bj('2026-09-30T10:00:00'));
});

/** A shipped CSV's rows, read with the importer's own CSV reader (header date,kind,name). */
function rowsOf(csv: string) {
  const [header, ...records] = parseCsv(csv);
  expect(header.fields).toEqual(['date', 'kind', 'name']);
  return records.map(({ fields: [date, kind, name] }) => ({ date, kind, name }));
}
const shippedRows = () => rowsOf(shippedCsv);

describe('the shipped 2026 calendar', () => {
  it('is in a fresh database with no import, exactly the rows of data/holidays/2026.csv', async () => {
    const loaded = await h.db.select().from(holidays).orderBy(asc(holidays.date));
    expect(shippedRows()).toHaveLength(39);
    // Every shipped year's CSV and the migrations agree, row for row.
    const dir = join(root, 'data/holidays');
    const files = readdirSync(dir).filter((f) => /^\d{4}\.csv$/.test(f));
    expect(files).toContain('2026.csv');
    const csv = files.flatMap((f) => rowsOf(readFileSync(join(dir, f), 'utf8'))).sort((a, b) => a.date.localeCompare(b.date));
    expect(loaded).toEqual(csv);
    // Every row is one the importer itself accepts, so the CSV stays importable as is.
    expect(await runImport(holidaysImporter, shippedCsv, { db: h.db, now: h.now, tz: 'Asia/Shanghai' })).toEqual({ inserted: 0, updated: 0, unchanged: 39, errors: [] });
  });

  it('/duty names 国庆节 on 2026-10-03 and knows 2026-10-10 as a 调休 workday, with no import', async () => {
    const holiday = body(await reply(WANG, '/duty 2026-10-03'));
    expect(holiday).toContain('节假日：国庆节');
    expect(holiday).toContain('public holiday: 国庆节');
    const workday = body(await reply(WANG, '/值班 2026-10-10'));
    expect(workday).toContain('调休上班：国庆节调休上班');
    expect(workday).toContain('make-up workday: 国庆节调休上班');
    expect(workday).not.toContain('节假日：');
    // 2026 is loaded: no calendar notice on a 2026 day.
    expect(workday).not.toContain('节假日安排尚未导入');
  });

  it('a later import still corrects a day and adds a year', async () => {
    // Its own fresh database, so the correction does not leak into the other tests.
    const other = await startHarness({ start: bj('2026-09-30T10:00:00') });
    try {
      await addPerson(other.db, WANG, '王强', 'officer');
      expect(body((await other.say(WANG, '/duty 2027-01-01')).replies[0])).toContain(NOTICE_2027);
      const r = await runImport(holidaysImporter, 'date,kind,name\n2026-10-10,workday,国庆调休上班\n2027-01-01,holiday,元旦', { db: other.db, now: other.now, tz: 'Asia/Shanghai' });
      expect(r).toEqual({ inserted: 1, updated: 1, unchanged: 0, errors: [] });
      expect(body((await other.say(WANG, '/duty 2026-10-10')).replies[0])).toContain('调休上班：国庆调休上班');
      const newYear = body((await other.say(WANG, '/duty 2027-01-01')).replies[0]);
      expect(newYear).toContain('节假日：元旦');
      expect(newYear).not.toContain('节假日安排尚未导入');
    } finally {
      await other.close();
    }
  });
});

describe('a year with no calendar', () => {
  it('roster-gaps tells each admin once when the roster reaches 2027', async () => {
    // A fully covered roster into January 2027: no gaps in the next 72 hours, only the missing year.
    await addShift(h.db, 'officer', WANG, '2026-12-01T08:30:00', '2027-01-10T08:30:00');
    await addShift(h.db, 'leader', ZHANG, '2026-12-01T08:00:00', '2027-01-10T08:00:00');
    const first = await runJob(h, gapsJob, bj('2026-12-10T10:07:00'));
    expect(first.sent).toHaveLength(2);
    for (const admin of [ADMIN, ZHANG]) {
      const [m] = to(first.sent, admin);
      expect(body(m)).toContain(NOTICE_2027);
      expect(body(m)).toContain(NOTICE_2027_EN);
    }
    // The next run, and one a week later, say nothing more about 2027.
    expect((await runJob(h, gapsJob, bj('2026-12-10T10:22:00'))).sent).toHaveLength(0);
    expect((await runJob(h, gapsJob, bj('2026-12-17T10:07:00'))).sent).toHaveLength(0);
  });

  it('says nothing while the roster stays inside loaded years, and nothing once 2027 is imported', async () => {
    await addShift(h.db, 'officer', WANG, '2026-12-01T08:30:00', '2026-12-31T08:30:00');
    await addShift(h.db, 'leader', ZHANG, '2026-12-01T08:00:00', '2026-12-31T08:00:00');
    expect((await runJob(h, gapsJob, bj('2026-12-10T10:07:00'))).sent).toHaveLength(0);
    await runImport(holidaysImporter, 'date,kind,name\n2027-01-01,holiday,元旦', { db: h.db, now: h.now, tz: 'Asia/Shanghai' });
    await addShift(h.db, 'officer', WANG, '2026-12-31T08:30:00', '2027-01-10T08:30:00');
    await addShift(h.db, 'leader', ZHANG, '2026-12-31T08:00:00', '2027-01-10T08:00:00');
    expect((await runJob(h, gapsJob, bj('2026-12-10T10:22:00'))).sent).toHaveLength(0);
  });

  it('a key period reaching 2027 is named when declared and in the roster-gaps run', async () => {
    h.setNow(bj('2026-12-10T10:00:00'));
    const declared = textOf(await reply(ZHANG, '/keyperiod 2026-12-30..2027-01-03 元旦安保'));
    expect(declared).toContain('已设置重点时段');
    expect(declared).toContain(NOTICE_2027);
    expect(declared).toContain(NOTICE_2027_EN);
    await addShift(h.db, 'officer', WANG, '2026-12-01T08:30:00', '2026-12-31T08:30:00');
    await addShift(h.db, 'leader', ZHANG, '2026-12-01T08:00:00', '2026-12-31T08:00:00');
    const { sent } = await runJob(h, gapsJob, bj('2026-12-10T10:07:00'));
    expect(sent.map((m) => m.receiveId).sort()).toEqual([ADMIN, ZHANG].sort());
    expect(sent.every((m) => body(m).includes(NOTICE_2027))).toBe(true);
  });

  it('/duty week crossing into 2027 shows the notice; a week inside 2026 does not', async () => {
    h.setNow(bj('2026-12-01T10:00:00'));
    expect(body(await reply(WANG, '/duty week'))).not.toContain('节假日安排尚未导入');
    h.setNow(bj('2026-12-28T10:00:00'));
    const week = body(await reply(WANG, '/值班 week'));
    expect(week).toContain('一周值班表 2026-12-28 起');
    expect(week).toContain(NOTICE_2027);
    expect(week).toContain(NOTICE_2027_EN);
  });
});
