// One plain message → what it asks for and the fields it gives. Pure: the time, the zone, the
// holidays and the enterprise index are passed in, so the same sentence always reads the same.

import type { IncidentType, Severity } from '../../domain/incident-types.ts';
import { findDeadline, type DeadlineFound } from './deadline.ts';
import { cleanDescription, guessEnterpriseName } from './describe.ts';
import type { EnterpriseFind, EnterpriseIndex } from './enterprise-index.ts';
import type { HolidayKinds } from './calendar.ts';
import { incidentLocation, incidentSeverity, incidentType } from './incident.ts';
import { classify, HANDOVER, HAZARD_NO, likelyCommands, listFilter } from './intent.ts';
import { findLevel } from './level.ts';
import { dutyWord, statsWords } from './periods.ts';
import { normalize, without, type Span } from './text.ts';

export interface Person {
  openId: string;
  name: string;
}

export interface UnderstandContext {
  now: Date;
  tz: string;
  holidays: HolidayKinds;
  index: EnterpriseIndex;
}

export type Understanding =
  | {
      intent: 'hazard';
      enterprise: EnterpriseFind;
      /** The name the sentence opens with when no registered enterprise matched. */
      unregisteredName?: string;
      description: string;
      level: 'general' | 'major';
      deadline?: DeadlineFound;
      assignees: Person[];
    }
  | { intent: 'incident'; type: IncidentType; location?: string; severity: Severity; description: string }
  | { intent: 'duty'; words: string[] }
  | { intent: 'stats'; words: string[] }
  | { intent: 'mine' }
  | { intent: 'list'; words: string[] }
  | { intent: 'handover'; notes: string }
  /** News that an emergency is over: the open incidents, where it is closed on its card. */
  | { intent: 'incidents' }
  | { intent: 'done'; no: string; note?: string }
  | { intent: 'show'; no: string }
  | { intent: 'unknown'; likely: string[] };

/** What the message says, with the @mentions of people (not the bot) already taken out of the text. */
export function understand(text: string, people: Person[], c: UnderstandContext): Understanding {
  const t = normalize(text);
  if (!t) return { intent: 'unknown', likely: likelyCommands(t) };
  const enterprise = extendSuffix(t, c.index.find(t));
  const deadline = findDeadline(t, c);
  const level = findLevel(t);
  const guessed = enterprise.kind === 'none' ? guessEnterpriseName(t) : undefined;
  const intent = classify(t, {
    deadline: deadline?.weight ?? 0,
    // A name with a legal form (XX有限公司) counts as naming an enterprise even when it is not registered.
    enterprise: enterprise.kind !== 'none' || !!guessed,
    enterpriseSpan: enterprise.kind !== 'none' ? enterprise.span : undefined,
    mention: people.length > 0,
    level: level.spans.length > 0,
  });
  switch (intent) {
    case 'hazard': {
      const spans: Span[] = [...level.spans];
      if (enterprise.kind !== 'none') spans.push(enterprise.span);
      if (deadline) spans.push(deadline.span);
      const unregisteredName = guessed;
      let rest = without(t, spans);
      if (unregisteredName) rest = rest.replace(unregisteredName, ' ');
      return { intent, enterprise, unregisteredName, description: cleanDescription(rest), level: level.level, deadline, assignees: people };
    }
    case 'incident':
      return { intent, type: incidentType(t) ?? 'other', location: incidentLocation(t), severity: incidentSeverity(t), description: cleanDescription(t) || t };
    case 'duty':
      return { intent, words: [dutyWord(t, c.now, c.tz)] };
    case 'stats':
      return { intent, words: statsWords(t, c.now, c.tz) };
    case 'mine':
      return { intent };
    case 'incidents':
      return { intent };
    case 'handover':
      // The notes as written (not normalised): they are the record the next officer signs.
      return { intent, notes: text.trim().replace(HANDOVER, '').trim() };
    case 'list':
      // About one enterprise (梅河化工还有哪些隐患没整改): its hazards, as /hazards 梅河化工 lists them.
      if (enterprise.kind === 'none') return { intent, words: [listFilter(t)!] };
      return { intent, words: [(enterprise.kind === 'one' && c.index.nameOf(enterprise.id)) || t.slice(enterprise.span.start, enterprise.span.end)] };
    case 'done':
    case 'show': {
      const m = HAZARD_NO.exec(t)!;
      const no = `YH-${m[1]}-${m[2].padStart(4, '0')}`;
      if (intent === 'show') return { intent, no };
      const note = cleanDescription(t.replace(m[0], ' ').replace(/已整改完成|已整改|整改完成|整改完毕|已完成|已处理|已修复/g, ' '));
      return { intent, no, note: note || undefined };
    }
    default:
      return { intent: 'unknown', likely: likelyCommands(t) };
  }
}

/** 梅河化工有限公司 typed as 梅河化工厂: the key matched 梅河化工; the 厂 after it belongs to the name, not the description. */
function extendSuffix(t: string, f: EnterpriseFind): EnterpriseFind {
  if (f.kind === 'none') return f;
  const m = /^(?:股份有限公司|有限责任公司|有限公司|公司|集团|厂)/.exec(t.slice(f.span.end));
  return m ? { ...f, span: { start: f.span.start, end: f.span.end + m[0].length } } : f;
}
