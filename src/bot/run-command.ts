import { resolveCaller, type Caller } from '../domain/people.ts';
import { allows, notRegistered, roleRefusal } from './access.ts';
import { BotContext, type BotDeps, type Source } from './context.ts';
import { BotError, refusalOf } from './errors.ts';
import { twoLines } from '../bi.ts';
import type { ParsedArgs } from './parse.ts';
import type { Command } from './command.ts';

/**
 * Runs one command for a person: their roles checked, the arguments shaped, a refusal turned into
 * the answer (and nothing else kept). Typed commands, the bot menu and understood plain messages
 * all come through here, so each gets the same answer.
 */
export async function runCommand(deps: BotDeps, openId: string, source: Source, command: Command<any>, args: ParsedArgs, now: Date): Promise<BotContext> {
  const caller = await resolveCaller(deps.db, openId, deps.settings.adminOpenIds);
  const ctx = new BotContext(deps, caller, source, now);
  try {
    if (!allows(command.roles, caller)) {
      throw caller.person || caller.roles.size ? roleRefusal(command.roles, { zh: `/${command.name} `, en: `/${command.name}` }) : notRegistered();
    }
    const shaped = command.args.safeParse(args);
    if (!shaped.success) {
      throw new BotError(`参数有误。用法：${command.usage}`, `Bad arguments. Usage: ${command.usage}`);
    }
    await command.handle(ctx, shaped.data);
    return ctx;
  } catch (e) {
    return refusedAnswer(deps, caller, source, now, e);
  }
}

/**
 * A refusal changes nothing: drop whatever the handler had collected, keep only the answer.
 * Anything that is not a refusal is rethrown.
 */
export function refusedAnswer(deps: BotDeps, caller: Caller, source: Source, now: Date, e: unknown): BotContext {
  const refusal = refusalOf(e);
  if (!refusal) throw e;
  const answer = new BotContext(deps, caller, source, now);
  answer.reply({ text: twoLines(refusal) });
  return answer;
}
