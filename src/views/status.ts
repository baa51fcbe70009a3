import type { StatusSection } from '../domain/status.ts';
import { formatDateTime } from '../domain/time.ts';
import type { BackupState } from '../domain/backup-status.ts';
import type { BuzzUsage } from '../domain/escalations.ts';
import type { Bi } from '../bi.ts';

// The /status reply: a heading per section, Chinese lines first, English beside.

type Line = { zh: string; en: string };

export function statusText(sections: StatusSection[], tz: string): string {
  const out = ['系统状态 System status'];
  for (const s of sections) {
    out.push('', `【${s.title.zh} ${s.title.en}】`);
    for (const l of sectionLines(s, tz)) out.push(`· ${l.zh}`, `  ${l.en}`);
  }
  return out.join('\n');
}

export const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} B`;

const CONNECTION: Record<string, Line> = {
  connected: { zh: '已连接', en: 'connected' },
  connecting: { zh: '连接中', en: 'connecting' },
  reconnecting: { zh: '断线重连中', en: 'reconnecting' },
  failed: { zh: '连接失败（不再重试，请检查 App ID/Secret 与开发者后台的订阅方式）', en: 'failed (no more retries: check the app id/secret and the subscription mode in the console)' },
  idle: { zh: '未连接', en: 'not connected' },
  closed: { zh: '已关闭', en: 'closed' },
};

function sectionLines(s: StatusSection, tz: string): Line[] {
  const when = (ms: number) => formatDateTime(new Date(ms), tz);
  switch (s.kind) {
    case 'events': {
      const lines: Line[] = [];
      if (s.mode === 'ws') {
        const c = CONNECTION[s.connection ?? 'idle'] ?? { zh: s.connection ?? '', en: s.connection ?? '' };
        lines.push({ zh: `模式：长连接（ws），${c.zh}${s.connects ? `，已连接 ${s.connects} 次` : ''}`, en: `Mode: long connection (ws), ${c.en}${s.connects ? `, ${s.connects} connection(s) so far` : ''}` });
      } else {
        lines.push({ zh: '模式：Webhook（POST /lark/events）', en: 'Mode: webhook (POST /lark/events)' });
      }
      lines.push(s.lastEventAt ? { zh: `最近收到事件：${when(s.lastEventAt)}`, en: `Last event received: ${when(s.lastEventAt)}` } : { zh: '尚未收到任何事件', en: 'No event received yet' });
      lines.push(s.inboxFailed
        ? { zh: `待处理事件 ${s.inboxPending} 条，⚠️ 处理失败 ${s.inboxFailed} 条`, en: `Inbox: ${s.inboxPending} waiting, ⚠️ ${s.inboxFailed} failed` }
        : { zh: `待处理事件 ${s.inboxPending} 条`, en: `Inbox: ${s.inboxPending} waiting` });
      return lines;
    }
    case 'outbox': {
      const lines: Line[] = [{ zh: `待发送 ${s.pending} 条${s.oldestPendingAt ? `，最早一条排队于 ${when(s.oldestPendingAt)}` : ''}`, en: `Outbox: ${s.pending} waiting${s.oldestPendingAt ? `, the oldest queued ${when(s.oldestPendingAt)}` : ''}` }];
      lines.push(s.failed
        ? { zh: `⚠️ 发送失败 ${s.failed} 条：运行 npm run outbox -- failed 查看原因`, en: `⚠️ ${s.failed} failed for good: run npm run outbox -- failed for the reasons` }
        : { zh: '没有被飞书拒绝的消息（npm run outbox -- failed 可查）', en: 'No message refused for good (npm run outbox -- failed lists them)' });
      if (s.folded) lines.push({ zh: `因 API 预算暂缓 ${s.folded} 条（卡片更新、值班群播报）`, en: `${s.folded} held back by the API budget (card updates, duty-chat echoes)` });
      return lines;
    }
    case 'jobs':
      if (s.jobs.length === 0) return [{ zh: '尚无任务运行记录', en: 'No job has run yet' }];
      return s.jobs.map((j) => {
        const bad = j.status === 'failed' ? { zh: `⚠️ 失败：${j.error ?? ''}`, en: `⚠️ failed: ${j.error ?? ''}` } : { zh: j.status === 'done' ? '成功' : j.status, en: j.status };
        const recent = j.failures ? { zh: `，⚠️ 近 7 天失败 ${j.failures} 次`, en: `, ${j.failures} failure(s) in 7 days` } : { zh: '', en: '' };
        return { zh: `${j.job}：最近 ${when(j.lastRunAt)} ${bad.zh}${recent.zh}`, en: `${j.job}: last ${when(j.lastRunAt)} ${bad.en}${recent.en}` };
      });
    case 'lark_api': {
      const kinds = Object.entries(s.byKind).map(([k, n]) => `${k} ${n}`).join(' · ') || '—';
      const budget = s.budget
        ? { zh: `本月（${s.month}）已调用 ${s.used} 次，预算 ${s.budget} 次（${Math.floor((s.used / s.budget) * 100)}%）`, en: `This month (${s.month}): ${s.used} calls of a budget of ${s.budget} (${Math.floor((s.used / s.budget) * 100)}%)` }
        : { zh: `本月（${s.month}）已调用 ${s.used} 次（未设 LARK_MONTHLY_CALL_BUDGET）`, en: `This month (${s.month}): ${s.used} calls (no LARK_MONTHLY_CALL_BUDGET)` };
      const lines: Line[] = [budget, { zh: `按类别：${kinds}`, en: `By kind: ${kinds}` }];
      if (s.quotaExhausted) lines.push({ zh: '⛔ 飞书返回 99991403：本月租户 API 调用量已用完，仅发送要紧的消息', en: '⛔ Lark answered 99991403: the tenant quota for this month is spent; only what matters is sent' });
      return lines;
    }
    case 'backups':
      return backupLines(s.state, tz);
    case 'buzzes':
      return [{ zh: `应用内加急 ${s.inApp} 次`, en: `In-app buzzes ${s.inApp}` }, ...buzzLines(s.usage, s.limits)];
    case 'mirrors':
      return mirrorLines(s);
    case 'database':
      return [s.bytes === undefined ? { zh: '数据库大小：无法读取', en: 'Database size: not available' } : { zh: `数据库大小：${sizeText(s.bytes)}`, en: `Database size: ${sizeText(s.bytes)}` }];
  }
}

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

export function buzzLines(u: BuzzUsage, limits: { sms: number; phone: number }): Bi[] {
  const lines: Bi[] = [
    { zh: `短信加急 ${u.sms}/${limits.sms}`, en: `SMS buzzes ${u.sms}/${limits.sms}` },
    { zh: `电话加急 ${u.phone}/${limits.phone}`, en: `Phone buzzes ${u.phone}/${limits.phone}` },
  ];
  if (u.fallbacks) lines.push({ zh: `⚠️ 降级为应用内加急 ${u.fallbacks} 次（超出月度上限，或飞书返回 230023/230024）`, en: `⚠️ ${u.fallbacks} sent in-app instead (over the monthly limit, or Lark answered 230023/230024)` });
  return lines;
}

/** Which mirrors are on, what they hold in Feishu, and what waits or failed (issue 19). */
export function mirrorLines(s: Extract<StatusSection, { kind: 'mirrors' }>): Line[] {
  const onOff = (on: boolean) => (on ? { zh: '开', en: 'on' } : { zh: '关', en: 'off' });
  const t = onOff(s.on.tasks);
  const c = onOff(s.on.calendar);
  const b = onOff(s.on.bitable);
  const n = s.counts;
  const lines: Line[] = [
    { zh: `飞书任务 ${t.zh}（${n.tasks} 个任务）· 值班日历 ${c.zh}（${n.events} 个日程）· 多维表格 ${b.zh}（${n.records} 条记录）`, en: `Tasks ${t.en} (${n.tasks} tasks) · duty calendar ${c.en} (${n.events} events) · Bitable ${b.en} (${n.records} records)` },
  ];
  if (n.pending) lines.push({ zh: `待同步 ${n.pending} 条`, en: `${n.pending} waiting to sync` });
  if (n.failed) lines.push({ zh: `⚠️ 同步失败 ${n.failed} 条：${n.lastError ?? ''}（npm run outbox -- failed 查看）`, en: `⚠️ ${n.failed} failed for good: ${n.lastError ?? ''} (npm run outbox -- failed)` });
  else if (n.lastError && n.pending) lines.push({ zh: `最近一次失败（将重试）：${n.lastError}`, en: `Last failure (will retry): ${n.lastError}` });
  return lines;
}
