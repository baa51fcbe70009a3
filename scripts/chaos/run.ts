import { FULL, SHORT, formatFigures, problems, runChaos } from './chaos.ts';

// npm run chaos [-- --seed N] [--short] [--fuzz N] [--events N]
// Real server processes against the fake Lark; prints the figures and exits 1 if any that must be 0 is not.

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const seed = flag('--seed') !== undefined ? Number(flag('--seed')) : Math.floor(Math.random() * 1e9);
if (!Number.isInteger(seed)) {
  console.error('--seed needs a whole number');
  process.exit(2);
}
const base = args.includes('--short') ? SHORT : FULL;
const began = performance.now();
const options = {
  ...base,
  seed,
  events: flag('--events') ? Number(flag('--events')) : base.events,
  fuzzMessages: flag('--fuzz') ? Number(flag('--fuzz')) : base.fuzzMessages,
  log: (l: string) => console.error(`[chaos ${((performance.now() - began) / 1000).toFixed(1)} s] ${l}`),
};
console.error(`[chaos] seed ${seed} (repeat with: npm run chaos -- --seed ${seed}${args.includes('--short') ? ' --short' : ''})`);
const figures = await runChaos(options);
console.log(formatFigures(figures));
const bad = problems(figures);
if (bad.length) {
  console.log(`\nFAILED (seed ${seed}):\n  ${bad.join('\n  ')}`);
  process.exit(1);
}
console.log(`\nall zero where it must be (seed ${seed})`);
