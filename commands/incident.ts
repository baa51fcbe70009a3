import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { BotError } from '../src/bot/errors.ts';
import { closeIncident, reportIncident, showIncident } from '../src/bot/incident-flow.ts';
import { INCIDENT_REPORT_ROLES } from '../src/domain/incidents.ts';
import { parseIncidentNo } from '../src/domain/incidents.ts';
import { CASUALTY_KEYS, type Casualties } from '../src/domain/incident-reports.ts';
import { recordReport } from '../src/bot/incident-report-flow.ts';
import { INCIDENT_TYPE_HINT, parseIncidentType, parseSeverity, type Severity } from '../src/domain/incident-types.ts';

const USAGE = '/incident 类型 地点 情况描述… [级别:一般|较大|重大|特别重大]  ·  /incident 编号 首报  ·  /incident 编号 续报 说明… [死亡:N] [受伤:N] [失联:N] [转移:N]  ·  /incident 编号 结束 [总结…]';
const FIRST_WORDS = ['首报', 'first'];
const FOLLOWUP_WORDS = ['续报', 'followup', 'follow-up'];
const SEVERITY_KEYS = ['级别', '等级', 'level', 'severity'];
const CLOSE_WORDS = ['结束', '关闭', '结案', 'close', 'closed', 'end'];

const args = z.object({
  words: z.array(z.string()),
  options: z.record(z.string(), z.string()),
  mentions: z.array(z.object({ openId: z.string(), name: z.string() })),
});

/** 死亡:1 受伤:3 失联:0 转移:120 → figures (taken out of the options); a figure that is no whole number is refused. */
function takeCasualties(options: Record<string, string>): Casualties {
  const out: Casualties = {};
  for (const [key, field] of Object.entries(CASUALTY_KEYS)) {
    if (!(key in options)) continue;
    const v = options[key].trim().replace(/人$/, '');
    if (!/^\d{1,6}$/.test(v)) throw new BotError(`${key}人数应为整数，如 ${key}:2，而不是「${options[key]}」。`, `${key} takes a whole number of people, like ${key}:2, not "${options[key]}".`);
    out[field] = Number(v);
    delete options[key];
  }
  return out;
}

const usageError = () => new BotError(`参数有误。用法：${USAGE}`, `Bad arguments. Usage: ${USAGE}`);

export default defineCommand({
  name: 'incident',
  aliases: ['险情'],
  summary: {
    zh: '上报险情（防汛、森林防火、地震、生产安全事故、火灾…）：加急带班领导和值班员，卡片发至领导群和值班群；或结束险情',
    en: 'report an incident (flood, forest fire, earthquake, accident, fire …): buzzes the leader and officer on duty and posts the card to the leaders and duty chats; or close one',
  },
  usage: USAGE,
  args,
  roles: INCIDENT_REPORT_ROLES,
  async handle(ctx, a) {
    const options = { ...a.options };
    let severityText: string | undefined;
    for (const k of Object.keys(options)) {
      if (SEVERITY_KEYS.includes(k.toLowerCase())) {
        severityText = options[k];
        delete options[k];
      }
    }
    // Any other key:value is text the person wrote with a colon in it (水位:2.5米): give it back.
    const extra = Object.entries(options).map(([k, v]) => `${k}:${v}`);
    const no = parseIncidentNo(a.words[0]);
    if (no) {
      if (severityText !== undefined) throw usageError();
      if (a.words.length === 1 && !extra.length) return showIncident(ctx, no);
      const verb = (a.words[1] ?? '').toLowerCase();
      const figures = takeCasualties(options);
      const rest = [...a.words.slice(2), ...Object.entries(options).map(([k, v]) => `${k}:${v}`)].join(' ').trim();
      if (FIRST_WORDS.includes(verb)) return recordReport(ctx, no, 'first', rest || undefined, figures);
      if (FOLLOWUP_WORDS.includes(verb)) return recordReport(ctx, no, 'followup', rest || undefined, figures);
      if (!CLOSE_WORDS.includes(verb)) throw usageError();
      return closeIncident(ctx, no, rest || undefined, figures);
    }
    if (/^XQ-/i.test(a.words[0] ?? '')) throw new BotError(`险情编号格式为 XQ-2026-0001。用法：${USAGE}`, `Incident numbers look like XQ-2026-0001. Usage: ${USAGE}`);
    const [typeText, location, ...rest] = a.words;
    const description = [...rest, ...extra].join(' ').trim();
    if (!typeText || !location || !description) throw usageError();
    const type = parseIncidentType(typeText);
    if (!type) throw new BotError(`无法识别险情类型「${typeText}」，可用：${INCIDENT_TYPE_HINT}。`, `Unknown incident type "${typeText}"; use one of: ${INCIDENT_TYPE_HINT}.`);
    let severity: Severity = 'general';
    if (severityText !== undefined) {
      const s = parseSeverity(severityText);
      if (!s) throw new BotError(`级别应为 一般、较大、重大 或 特别重大，而不是「${severityText}」。`, `The severity is 一般, 较大, 重大 or 特别重大 (general, larger, major, especially_major), not "${severityText}".`);
      severity = s;
    }
    await reportIncident(ctx, { type, location, description, severity });
  },
});
