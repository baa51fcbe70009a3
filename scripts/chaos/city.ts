import { openDatabase } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { chatBindings, enterprises, people, shifts, teams } from '../../src/db/schema.ts';

// A small city for the chaos runs: people in every role, two enterprises, a team, a duty roster
// around now, and the leaders' and duty chats bound — enough that every command has something to act on.

export const ADMIN = { openId: 'ou_chaos_admin', name: '张伟' };
export const PEOPLE = [
  ADMIN,
  { openId: 'ou_chaos_leader', name: '陈静', roles: 'leader' },
  { openId: 'ou_chaos_inspector', name: '李娜', roles: 'inspector' },
  { openId: 'ou_chaos_officer', name: '王强', roles: 'officer' },
  { openId: 'ou_chaos_contact', name: '刘洋', roles: 'contact' },
].map((p) => ({ roles: 'admin|leader', ...p }));
/** Registered inspectors who send the bulk /whoami traffic of the kill and fault runs. */
export const senders = (n: number) => Array.from({ length: n }, (_, i) => ({ openId: `ou_chaos_p${i}`, name: `检查员${i}` }));
export const LEADERS_CHAT = 'oc_chaos_leaders';
export const DUTY_CHAT = 'oc_chaos_duty';

export async function seedCity(dbUrl: string, o: { senders: number; now?: number }) {
  const database = await openDatabase(dbUrl);
  try {
    await migrateDatabase(database.db);
    const t = o.now ?? Date.now();
    await database.db.insert(people).values([
      ...PEOPLE.map((p) => ({ openId: p.openId, name: p.name, roles: p.roles, township: '红梅镇', mobile: '13900000000', createdAt: t, updatedAt: t })),
      ...senders(o.senders).map((p) => ({ openId: p.openId, name: p.name, roles: 'inspector', township: '红梅镇', createdAt: t, updatedAt: t })),
    ]);
    await database.db.insert(enterprises).values([
      { name: '梅河化工有限公司', sector: 'hazardous_chemicals', township: '红梅镇', registered: true, contactOpenId: 'ou_chaos_contact', supervisorOpenId: 'ou_chaos_leader', createdAt: t, updatedAt: t },
      { name: '山城建筑工程公司', sector: 'construction', township: '山城镇', registered: true, createdAt: t, updatedAt: t },
    ]);
    await database.db.insert(teams).values({ name: '红梅镇防汛抢险队', type: 'flood', leaderOpenId: 'ou_chaos_contact', members: 30, township: '红梅镇', equipment: '[]', createdAt: t, updatedAt: t });
    const day = 86_400_000;
    await database.db.insert(shifts).values([
      { role: 'leader', personOpenId: 'ou_chaos_leader', start: t - day, end: t + 2 * day, origin: 'imported', createdAt: t, updatedAt: t },
      { role: 'officer', personOpenId: 'ou_chaos_officer', start: t - day, end: t + 2 * day, origin: 'imported', createdAt: t, updatedAt: t },
    ]);
    await database.db.insert(chatBindings).values([
      { kind: 'leaders', name: '', chatId: LEADERS_CHAT, boundBy: ADMIN.openId, boundAt: t },
      { kind: 'duty', name: '', chatId: DUTY_CHAT, boundBy: ADMIN.openId, boundAt: t },
    ]);
  } finally {
    database.close();
  }
}
