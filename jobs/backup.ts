import { Effects } from '../src/outbox/effects.ts';
import { adminsOf } from '../src/domain/people.ts';
import { backupState, clearBackupFailure, recordBackupFailure } from '../src/domain/backup-status.ts';
import { formatDate } from '../src/domain/time.ts';
import { backupFailedText } from '../src/views/status.ts';
import type { Job } from '../src/jobs/types.ts';

/**
 * 02:30: a checked snapshot of the database file (VACUUM INTO), the oldest beyond BACKUP_KEEP
 * pruned. On D1 or a libSQL server it does nothing and says who keeps the backups there. A failed
 * backup is told to every admin, and /status shows it until a backup succeeds.
 */
const backup: Job = {
  name: 'backup',
  cron: '30 2 * * *',
  summary: { zh: '每天 02:30 备份数据库文件（保留 BACKUP_KEEP 份），失败时通知管理员', en: 'back up the database file at 02:30 (keeping BACKUP_KEEP), telling the admins if it fails' },
  async run({ db, settings, log, backups }, now) {
    const fx = new Effects(now);
    if (!backups) {
      log.info('backup: this process takes no backups (no database file configured for them)');
      return fx;
    }
    if (backups.elsewhere) {
      log.info(`backup: nothing to do; ${backups.elsewhere.en}`);
      return fx;
    }
    try {
      const file = await backups.take(now);
      log.info('backup written', { file: file.path, bytes: file.bytes });
      fx.write(clearBackupFailure(db));
    } catch (e) {
      const error = String((e as Error)?.message ?? e).slice(0, 300);
      log.error('backup failed', { error });
      fx.write(recordBackupFailure(db, { at: now.getTime(), error }));
      const state = await backupState(db, backups);
      const text = backupFailedText({ at: now, error, state, tz: settings.tz });
      const day = formatDate(now, settings.tz);
      const admins = await adminsOf(db, settings.adminOpenIds);
      if (!admins.length) log.warn('backup failed and there is no admin to tell');
      for (const admin of admins) fx.send({ openId: admin }, { text }, { dedupeKey: `backup-failed:${day}:${now.getTime()}:${admin}` });
    }
    return fx;
  },
};

export default backup;
