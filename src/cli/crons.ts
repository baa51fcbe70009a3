import { readFileSync, writeFileSync } from 'node:fs';
import { jobs } from '../../jobs/index.ts';
import { workerCrons } from '../jobs/utc-cron.ts';
import { wranglerCrons, wranglerTz } from '../jobs/wrangler-toml.ts';

// `npm run crons` prints the cron triggers Workers need for jobs/index.ts;
// `npm run crons -- --write` puts them into wrangler.toml.
const path = new URL('../../wrangler.toml', import.meta.url);
const toml = readFileSync(path, 'utf8');
const expected = workerCrons(jobs, wranglerTz(toml));
const line = `crons = [${expected.map((c) => JSON.stringify(c)).join(', ')}]`;
if (process.argv.includes('--write')) {
  writeFileSync(path, toml.replace(/^crons = \[.*\]$/m, line));
  process.stdout.write(`wrangler.toml: ${line}\n`);
} else {
  const current = wranglerCrons(toml);
  process.stdout.write(`${line}\n${JSON.stringify(current) === JSON.stringify(expected) ? 'wrangler.toml matches.' : 'wrangler.toml differs: run `npm run crons -- --write`.'}\n`);
}
