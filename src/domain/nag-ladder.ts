// The overdue escalation ladder (督办), defined in one place. Settings may replace it.

export type NagRecipient = 'assignee' | 'contact' | 'supervisor' | 'leaders_chat';

export interface NagStep {
  level: number;
  /** Whole days past the deadline at which this level starts (0 = as soon as it passes). */
  afterDays: number;
  recipients: NagRecipient[];
  /** Who gets a 加急 buzz on their digest at this level. */
  buzz: Exclude<NagRecipient, 'leaders_chat'>[];
}

export interface NagLadder {
  steps: NagStep[];
  /** A major hazard starts at this level. */
  majorStartLevel: number;
}

export const DEFAULT_NAG_LADDER: NagLadder = {
  steps: [
    { level: 1, afterDays: 0, recipients: ['assignee', 'contact'], buzz: [] },
    { level: 2, afterDays: 3, recipients: ['assignee', 'contact', 'supervisor'], buzz: ['assignee'] },
    { level: 3, afterDays: 7, recipients: ['assignee', 'contact', 'supervisor', 'leaders_chat'], buzz: ['assignee', 'supervisor'] },
  ],
  majorStartLevel: 2,
};

const DAY_MS = 86_400_000;

/** Whole days since the deadline passed (0 during the first day). */
export const daysOverdue = (deadline: number, now: number) => Math.floor((now - deadline) / DAY_MS);

/** The step a hazard is on, or undefined while its deadline has not passed. */
export function stepFor(ladder: NagLadder, hazard: { level: string; deadline: number }, now: number): NagStep | undefined {
  if (now <= hazard.deadline) return undefined;
  const days = daysOverdue(hazard.deadline, now);
  let step = ladder.steps.filter((s) => s.afterDays <= days).at(-1);
  if (hazard.level === 'major') {
    const floor = ladder.steps.find((s) => s.level === ladder.majorStartLevel);
    if (floor && (!step || step.level < floor.level)) step = floor;
  }
  return step;
}

/** When the hazard reaches its next step, if there is one. */
export function nextStepAt(ladder: NagLadder, hazard: { level: string; deadline: number }, now: number): number | undefined {
  const current = stepFor(ladder, hazard, now);
  const next = ladder.steps.find((s) => s.level > (current?.level ?? 0) && hazard.deadline + s.afterDays * DAY_MS > now);
  return next ? hazard.deadline + next.afterDays * DAY_MS : undefined;
}
