import type { Command } from './command.ts';
import { distance } from './parse.ts';

/** Looks commands up by name or alias; knows the nearest name for a typo. */
export class CommandRegistry {
  private byName = new Map<string, Command<any>>();

  constructor(readonly commands: readonly Command<any>[]) {
    for (const c of commands) {
      for (const n of [c.name, ...c.aliases]) {
        const key = n.toLowerCase();
        if (this.byName.has(key)) throw new Error(`command name ${n} is used twice`);
        this.byName.set(key, c);
      }
    }
  }

  find(name: string): Command<any> | undefined {
    return this.byName.get(name.toLowerCase());
  }

  nearest(name: string): Command<any> | undefined {
    let best: { c: Command<any>; d: number } | undefined;
    for (const [key, c] of this.byName) {
      const d = distance(name.toLowerCase(), key);
      if (!best || d < best.d) best = { c, d };
    }
    // Only suggest when the typo is small relative to the word.
    return best && best.d <= Math.max(2, Math.floor(name.length / 2)) ? best.c : undefined;
  }
}
