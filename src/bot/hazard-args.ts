import { z } from 'zod';
import { BotError } from './errors.ts';
import { parseHazardNo } from '../domain/hazards.ts';

/** The shape every hazard command takes: words, key:value options, @mentions. */
export const hazardArgs = z.object({
  words: z.array(z.string()),
  options: z.record(z.string(), z.string()),
  mentions: z.array(z.object({ openId: z.string(), name: z.string() })),
});
export type HazardArgs = z.infer<typeof hazardArgs>;

/** Takes the first option present under any of the keys (期限 / deadline …), removing it. */
export function takeOption(options: Record<string, string>, keys: readonly string[]): string | undefined {
  for (const k of Object.keys(options)) {
    if (keys.includes(k.toLowerCase()) || keys.includes(k)) {
      const v = options[k];
      delete options[k];
      return v;
    }
  }
  return undefined;
}

export const DEADLINE_KEYS = ['期限', '整改期限', '截止', 'deadline', 'due'] as const;
export const LEVEL_KEYS = ['级别', '等级', 'level'] as const;
export const SECTOR_KEYS = ['行业', 'sector'] as const;

/** Options nobody asked for are text the person wrote with a colon in it: give them back. */
export const leftovers = (options: Record<string, string>) => Object.entries(options).map(([k, v]) => `${k}:${v}`);

/** The hazard number a command names, or a refusal with the usage. */
export function hazardNo(word: string | undefined, usage: string): string {
  const no = word ? parseHazardNo(word) : undefined;
  if (!no) {
    throw new BotError(
      `请给出隐患编号，例如 YH-2026-0001。用法：${usage}`,
      `Give the hazard number, e.g. YH-2026-0001. Usage: ${usage}`,
    );
  }
  return no;
}
