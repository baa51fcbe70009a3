import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

/**
 * Runs WAL checkpoints on a thread of their own. libSQL checkpoints synchronously inside the
 * commit that crosses the threshold, on the event loop, with an fsync: a 10–80 ms stall for every
 * request waiting behind it (bench/ingest). A PASSIVE checkpoint from another connection never
 * blocks writers, so the main connection only keeps a far threshold as a backstop.
 */
export function startCheckpointer(path: string, everyMs = 1000): { stop(): Promise<void> } {
  const clientPath = createRequire(import.meta.url).resolve('@libsql/client');
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const { createClient } = require(workerData.clientPath);
    const client = createClient({ url: 'file:' + workerData.path, timeout: 5000 });
    let busy = false;
    const timer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try { await client.execute('PRAGMA wal_checkpoint(PASSIVE)'); } catch {} finally { busy = false; }
    }, workerData.everyMs);
    parentPort.on('message', () => { clearInterval(timer); client.close(); parentPort.close(); });
    `,
    { eval: true, workerData: { path, everyMs, clientPath } },
  );
  worker.unref();
  return {
    async stop() {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      await worker.terminate();
    },
  };
}
