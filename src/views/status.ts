import type { BackupState } from '../domain/backup-status.ts';
import type { StatusSection } from '../domain/status.ts';
import type { BuzzUsage } from '../domain/escalations.ts';
import { formatDateTime } from '../domain/time.ts';
import type { Bi } from '../bi.ts';

// The /status reply: a heading per section, Chinese lines first, English beside.

export function statusText(sections: StatusSection[], tz: string): string {
  const out = ['系统状态 System status'];
  for (const s of sections) {
    out.push('', `【${s.title.zh} ${s.title.en}】`);
    const lines = s.kind === 'backups' ? backupLines(s.state, tz) : s.kind === 'buzzes' ? buzzLines(s.usage, s.limits) : [];
    for (const l of lines) out.push(`· ${l.zh}`, `  ${l.en}`);
  }
  return out.join('\n');
}

export const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} B`;

export function backupLines(s: BackupState, tz: string): Bi[] {
  switch (s.kind) {
    case 'elsewhere':
      return [s.why];
    case 'not-configured':
      return [{ zh: '本进程不做备份（沙盒或未配置数据库文件）', en: 'this process takes no backups (sandbox, or no database file)' }];
    case 'files': {
      const lines: Bi[] = [];
      if (s.latest) {
        const when = formatDateTime(new Date(s.latest.at), tz);
        lines.push({
          zh: `最近一次成功备份：${when}（${s.latest.name}，${sizeText(s.latest.bytes)}）`,
          en: `Last good backup: ${when} (${s.latest.name}, ${sizeText(s.latest.bytes)})`,
        });
      } else {
        lines.push({ zh: '还没有备份：每天 02:30 自动备份，或运行 npm run backup', en: 'No backup yet: one is taken daily at 02:30, or run npm run backup' });
      }
      lines.push({ zh: `共 ${s.count} 份，保留最近 ${s.keep} 份，位于 ${s.dir}`, en: `${s.count} kept of at most ${s.keep}, in ${s.dir}` });
      if (s.failure) {
        const when = formatDateTime(new Date(s.failure.at), tz);
        lines.push({ zh: `⚠️ ${when} 的备份失败：${s.failure.error}`, en: `⚠️ The backup at ${when} failed: ${s.failure.error}` });
      }
      return lines;
    }
  }
}

/** The admins' notice when a scheduled backup fails. */
export function backupFailedText(o: { at: Date; error: string; state: BackupState; tz: string }): string {
  const when = formatDateTime(o.at, o.tz);
  const last = o.state.kind === 'files' && o.state.latest ? o.state.latest : undefined;
  const lastZh = last ? `上一次成功的备份是 ${formatDateTime(new Date(last.at), o.tz)}（${last.name}）。` : '目前没有任何成功的备份。';
  const lastEn = last ? `The last good backup is from ${formatDateTime(new Date(last.at), o.tz)} (${last.name}).` : 'There is no good backup at all.';
  return [
    `⚠️ 数据库备份失败（${when}）：${o.error}`,
    `${lastZh}请检查 BACKUP_DIR 所在磁盘的空间和权限，然后运行 npm run backup 补做一次。`,
    `⚠️ The database backup failed (${when}): ${o.error}`,
    `${lastEn} Check the space and permissions of the disk holding BACKUP_DIR, then run npm run backup.`,
  ].join('\n');
}

/** Paid buzzes this month against their limits, and the ones sent in-app instead. */
export function buzzLines(u: BuzzUsage, limits: { sms: number; phone: number }): Bi[] {
  const lines: Bi[] = [
    { zh: `短信加急 ${u.sms}/${limits.sms}`, en: `SMS buzzes ${u.sms}/${limits.sms}` },
    { zh: `电话加急 ${u.phone}/${limits.phone}`, en: `Phone buzzes ${u.phone}/${limits.phone}` },
  ];
  if (u.fallbacks) lines.push({ zh: `⚠️ 降级为应用内加急 ${u.fallbacks} 次（超出月度上限，或飞书返回 230023/230024）`, en: `⚠️ ${u.fallbacks} sent in-app instead (over the monthly limit, or Lark answered 230023/230024)` });
  return lines;
}
