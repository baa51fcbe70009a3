// Who is on duty today, as the daily brief reports it (and whether today is 重点时段).

import type { Bi } from '../bi.ts';
import type { Db } from '../db/client.ts';
import { dayMarks, marksText } from './holidays.ts';
import { onDuty, peopleInfo, shiftsStartingOn, type PersonInfo, type Shift } from './roster.ts';
import { formatDate } from './time.ts';

export interface OnDutyToday {
  leaders: Shift[];
  officers: Shift[];
  /** Today's shifts of the other posts (值班长, 协调调度, 综合信息, 技术保障). */
  others: Shift[];
  info: Map<string, PersonInfo>;
  /** Set when today is a key period: what makes it one. */
  keyPeriod?: Bi;
}

export async function onDutyToday(db: Db, tz: string, now: Date): Promise<OnDutyToday> {
  const today = await shiftsStartingOn(db, now, tz);
  // A day whose shifts all started yesterday (long shifts) is covered by whoever is on now.
  let leaders = today.filter((s) => s.role === 'leader');
  let officers = today.filter((s) => s.role === 'officer');
  if (!leaders.length || !officers.length) {
    const current = await onDuty(db, now);
    if (!leaders.length && current.leader) leaders = [current.leader];
    if (!officers.length && current.officer) officers = [current.officer];
  }
  const others = today.filter((s) => s.role !== 'leader' && s.role !== 'officer');
  const info = await peopleInfo(db, [...leaders, ...officers, ...others].map((s) => s.personOpenId));
  const marks = await dayMarks(db, formatDate(now, tz));
  const t = marksText(marks);
  return { leaders, officers, others, info, keyPeriod: marks.key && t ? t : undefined };
}
