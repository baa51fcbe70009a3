// The layering (docs/adr/0012-layers.md), checked on the real import lines of the tree: rules do
// not know the chat platform, the bot or the views; the edge does not know the rules (except the
// card primitives); commands ask the domain instead of querying the schema.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return filesUnder(path);
    return /\.(ts|tsx)$/.test(e.name) ? [path] : [];
  });
}

/** Every module a file imports (static, dynamic and re-exports), as a path from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]);
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(root, resolve(root, dirname(file), s)).split('\\').join('/'));
}

/** `file → imported` for every import of a file under `dir` that lands under one of `forbidden`. */
function violations(dir: string, forbidden: string[], allowedFiles: string[] = []): string[] {
  const out: string[] = [];
  for (const file of filesUnder(dir)) {
    const f = file.split('\\').join('/');
    if (allowedFiles.includes(f)) continue;
    for (const target of importsOf(f)) {
      if (forbidden.some((p) => target === p || target.startsWith(`${p}/`))) out.push(`${f} → ${target}`);
    }
  }
  return out;
}

describe('layers', () => {
  it('reads real import lines (the checker sees what a file imports)', () => {
    expect(importsOf('src/views/hazard-cards.ts')).toContain('src/lark/cards.ts');
    expect(importsOf('commands/index.ts')).toContain('src/bot/hazard-actions.ts');
    // The chart renderer is loaded with a dynamic import; it must still be seen.
    expect(importsOf('src/bot/stats-view.ts')).toContain('src/views/stats-chart.ts');
  });

  it('src/domain/ imports nothing from src/lark/, src/bot/ or src/views/', () => {
    expect(violations('src/domain', ['src/lark', 'src/bot', 'src/views'])).toEqual([]);
  });

  it('src/lark/ does not import src/domain/, except the card primitives', () => {
    expect(violations('src/lark', ['src/domain'], ['src/lark/cards.ts', 'src/lark/card-text.ts'])).toEqual([]);
  });

  it('commands/ do not import src/db/schema', () => {
    expect(violations('commands', ['src/db/schema.ts'])).toEqual([]);
  });
});
