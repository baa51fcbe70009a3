import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SNAPSHOT_NAME, snapshotName, snapshotTime, type BackupFile, type Backups } from './backups.ts';
import { vacuumInto } from './sqlite-file.ts';

export interface FileBackupOptions {
  /** The live database file (DATABASE_URL without `file:`). */
  dbPath: string;
  dir: string;
  keep: number;
}

/**
 * Snapshots of a libSQL file: VACUUM INTO a hidden partial name, check the copy, rename it into
 * place. A file with a snapshot name is therefore always a whole, checked database; a crash
 * mid-way leaves only a `.partial` file, removed by the next run.
 */
export function fileBackups(o: FileBackupOptions): Backups {
  const list = async (): Promise<BackupFile[]> => {
    if (!existsSync(o.dir)) return [];
    const files: BackupFile[] = [];
    for (const name of readdirSync(o.dir)) {
      const at = snapshotTime(name);
      if (at === undefined) continue;
      const path = join(o.dir, name);
      files.push({ name, path, at, bytes: statSync(path).size });
    }
    // Names sort by time; the suffix (-2 …) orders two taken in one second.
    return files.sort((a, b) => b.at - a.at || suffix(b.name) - suffix(a.name));
  };

  return {
    dir: o.dir,
    keep: o.keep,
    list,
    async take(now) {
      mkdirSync(o.dir, { recursive: true });
      for (const stale of readdirSync(o.dir).filter((n) => n.endsWith('.partial'))) rmSync(join(o.dir, stale), { force: true });
      let n = 0;
      while (existsSync(join(o.dir, snapshotName(now, n)))) n++;
      const name = snapshotName(now, n);
      const partial = join(o.dir, `.${name}.partial`);
      const result = await vacuumInto(o.dbPath, partial);
      if (!result.ok) {
        rmSync(partial, { force: true });
        throw new Error(`backup of ${o.dbPath} failed: ${result.reason}`);
      }
      const path = join(o.dir, name);
      renameSync(partial, path);
      const kept = await list();
      for (const old of kept.slice(Math.max(1, o.keep))) rmSync(old.path, { force: true });
      return { name, path, at: now.getTime(), bytes: statSync(path).size };
    },
  };
}

const suffix = (name: string) => Number(SNAPSHOT_NAME.exec(name)?.[2] ?? 0);
