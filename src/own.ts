// Tables keyed by text people type (commands, ledger cells, card form values). A plain object
// literal inherits Object.prototype, so `table['constructor']` or `table['__proto__']` finds a
// function or an object instead of nothing. Every such lookup goes through `own`.

/** `table[key]` when `key` is one of the table's own keys; otherwise undefined. */
export function own<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** True when `key` is one of the table's own keys (narrows it to the table's key type). */
export const isOwnKey = <K extends string>(table: Readonly<Record<K, unknown>>, key: string): key is K => Object.hasOwn(table, key);
