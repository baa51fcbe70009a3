// `npm run build`: bundles the Node entry into plain JavaScript, dist/node.js, with esbuild (the
// one tsx already brings for `npm start`), leaving node_modules packages as imports. Beside it go
// the files the code reads at run time, where it looks for them: dist/migrations and dist/assets
// (the sandbox page's scripts). Types are checked by `npm run typecheck`, not here.
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const dist = new URL('dist/', root);

rmSync(dist, { recursive: true, force: true });
await build({
  absWorkingDir: root.pathname,
  entryPoints: ['src/node.ts'],
  outdir: 'dist',
  // Modules the code imports lazily (the chart renderer and its native canvas, for one) stay in
  // chunks of their own, loaded on first use: bundled into node.js, their package imports would
  // be hoisted and loaded at every start (bench/startup-db.ts).
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  tsconfig: 'tsconfig.json',
  logLevel: 'warning',
});
cpSync(new URL('migrations/', root), new URL('migrations/', dist), { recursive: true });
cpSync(new URL('src/sandbox/assets/', root), new URL('assets/', dist), { recursive: true });
process.stdout.write('built dist/node.js — start it with `npm run start:prod`\n');
