// An optional extractor: an OpenAI-compatible chat-completions endpoint the bureau runs itself
// (LLM_BASE_URL, LLM_API_KEY, LLM_MODEL; off unless set). It sits behind the same interface as the
// rules and feeds the same confirmation cards: the model proposes the intent and fields, the
// registry still decides which enterprise is meant, people still come only from @mentions, and
// any failure (network, timeout, an answer that is not the JSON asked for) falls back to the rules.
// The key goes in the Authorization header and nowhere else: never into a log line.

import { z } from 'zod';
import type { Logger } from '../../log.ts';
import { INCIDENT_TYPES, SEVERITIES, type IncidentType, type Severity } from '../../domain/incident-types.ts';
import { endOf, isValid } from './calendar.ts';
import { normalize } from './text.ts';
import { understand, type Person, type Understanding, type UnderstandContext } from './understand.ts';

/** Reads one plain message: the rules, or the model with the rules behind it. */
export type Reader = (text: string, people: Person[], c: UnderstandContext) => Promise<Understanding>;

export const rulesReader: Reader = async (text, people, c) => understand(text, people, c);

export interface LlmOptions {
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs?: number;
  log?: Logger;
  fetch?: typeof fetch;
}

const answerSchema = z.object({
  intent: z.enum(['hazard', 'incident', 'duty', 'stats', 'mine', 'done', 'unknown']),
  enterprise: z.string().nullish(),
  description: z.string().nullish(),
  level: z.enum(['general', 'major']).nullish(),
  deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullish(),
  incident_type: z.string().nullish(),
  location: z.string().nullish(),
  severity: z.string().nullish(),
  hazard_no: z.string().nullish(),
  duty_day: z.string().nullish(),
  stats_period: z.string().nullish(),
});
type Answer = z.infer<typeof answerSchema>;

function prompt(now: Date, tz: string): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'long' }).format(now);
  return [
    'You read one chat message sent to a work-safety duty bot in China and answer with one JSON object only.',
    `Today is ${today} (${tz}).`,
    'Fields: intent (hazard | incident | duty | stats | mine | done | unknown); for hazard: enterprise (the name as written),',
    'description (what is wrong, without the enterprise, deadline or courtesy words), level (major only for 重大/重大隐患/重大事故隐患, else general),',
    'deadline (YYYY-MM-DD, the day the fix is due, or null when none is given); for incident: incident_type (one of',
    `${Object.keys(INCIDENT_TYPES).join(', ')}), location, severity (${Object.keys(SEVERITIES).join(', ')}); for done: hazard_no (YH-YYYY-NNNN);`,
    'for duty: duty_day (now, today, tomorrow, week or YYYY-MM-DD); for stats: stats_period (今天, 本周, 上周, 本月, 上月, 今年, YYYY-MM or',
    'YYYY-MM-DD..YYYY-MM-DD, optionally followed by a space and 按行业, 按乡镇, 按县 or 按企业). Never name a person.',
  ].join('\n');
}

export function llmReader(o: LlmOptions): Reader {
  const url = `${o.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return async (text, people, c) => {
    const rules = understand(text, people, c);
    try {
      const res = await (o.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}) },
        body: JSON.stringify({
          model: o.model,
          temperature: 0,
          response_format: { type: 'json_object' },
          messages: [
            { role: 'system', content: prompt(c.now, c.tz) },
            { role: 'user', content: normalize(text) },
          ],
        }),
        signal: AbortSignal.timeout(o.timeoutMs ?? 8000),
      });
      if (!res.ok) throw new Error(`the endpoint answered HTTP ${res.status}`);
      const body = (await res.json()) as { choices?: { message?: { content?: string } }[] };
      const content = body.choices?.[0]?.message?.content;
      if (typeof content !== 'string') throw new Error('the answer has no message content');
      const parsed = answerSchema.safeParse(JSON.parse(content));
      if (!parsed.success) throw new Error('the answer is not the JSON asked for');
      return fromAnswer(parsed.data, people, c, rules);
    } catch (e) {
      // The message only: never the request, whose headers carry the key.
      o.log?.warn('LLM extractor failed; the built-in rules answer instead', { reason: e instanceof Error ? e.message : String(e) });
      return rules;
    }
  };
}

const RULES_ONLY = new Set<Understanding['intent']>(['list', 'handover', 'incidents']);

/** The model's fields as an Understanding, checked against the registry and the calendar. */
function fromAnswer(a: Answer, people: Person[], c: UnderstandContext, rules: Understanding): Understanding {
  // A list question (逾期的隐患有哪些), a handover (交班：…), news of an emergency over: the model
  // has no intent for these; the rules read them exactly.
  if (RULES_ONLY.has(rules.intent)) return rules;
  switch (a.intent) {
    case 'hazard': {
      const name = normalize(a.enterprise ?? '');
      const enterprise = name ? c.index.find(name) : { kind: 'none' as const };
      const description = (a.description ?? '').trim() || (rules.intent === 'hazard' ? rules.description : '');
      let deadline;
      if (a.deadline) {
        const [y, m, d] = a.deadline.split('-').map(Number);
        if (isValid(y, m, d)) {
          const at = endOf({ y, m, d }, c.tz);
          deadline = { weight: 2, at, day: { y, m, d }, past: at.getTime() <= c.now.getTime(), span: { start: 0, end: 0 }, said: a.deadline };
        }
      }
      return {
        intent: 'hazard',
        enterprise,
        unregisteredName: enterprise.kind === 'none' && name ? name : undefined,
        description,
        level: a.level ?? 'general',
        deadline,
        // People only ever come from @mentions, whatever the model says.
        assignees: people,
      };
    }
    case 'incident': {
      const type = (a.incident_type && a.incident_type in INCIDENT_TYPES ? a.incident_type : rules.intent === 'incident' ? rules.type : 'other') as IncidentType;
      const severity = (a.severity && a.severity in SEVERITIES ? a.severity : 'general') as Severity;
      return { intent: 'incident', type, location: a.location?.trim() || (rules.intent === 'incident' ? rules.location : undefined), severity, description: (a.description ?? '').trim() || (rules.intent === 'incident' ? rules.description : '') };
    }
    case 'duty':
      return { intent: 'duty', words: [a.duty_day?.trim() || 'now'] };
    case 'stats':
      return { intent: 'stats', words: (a.stats_period ?? '').split(/\s+/).filter(Boolean) };
    case 'mine':
      return { intent: 'mine' };
    case 'done': {
      const m = /^YH-(\d{4})-(\d{1,6})$/i.exec((a.hazard_no ?? '').trim());
      if (!m) return rules;
      return { intent: 'done', no: `YH-${m[1]}-${m[2].padStart(4, '0')}`, note: a.description?.trim() || undefined };
    }
    default:
      return rules.intent === 'unknown' ? rules : { intent: 'unknown', likely: ['report', 'duty', 'stats'] };
  }
}
