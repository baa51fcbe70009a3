import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { people } from '../db/schema.ts';

/** The demo city's people: every role, fictional names and numbers. */
export const DEMO_PEOPLE = [
  { openId: 'ou_demo_zhangwei', name: '张伟', roles: 'admin|leader', department: '应急管理局', township: null, mobile: '13900000001' },
  { openId: 'ou_demo_chenjing', name: '陈静', roles: 'leader', department: '应急管理局', township: null, mobile: '13900000002' },
  { openId: 'ou_demo_lina', name: '李娜', roles: 'inspector', department: '安监执法大队', township: '红梅镇', mobile: '13900000003' },
  { openId: 'ou_demo_zhaolei', name: '赵磊', roles: 'inspector', department: '安监执法大队', township: '山城镇', mobile: '13900000004' },
  { openId: 'ou_demo_wangqiang', name: '王强', roles: 'officer', department: '应急指挥中心', township: null, mobile: '13900000005' },
  { openId: 'ou_demo_sunli', name: '孙丽', roles: 'officer', department: '应急指挥中心', township: null, mobile: '13900000006' },
  { openId: 'ou_demo_liuyang', name: '刘洋', roles: 'contact', department: '梅河化工有限公司', township: '红梅镇', mobile: '13900000007' },
  { openId: 'ou_demo_zhoumin', name: '周敏', roles: 'contact', department: '山城建筑工程公司', township: '山城镇', mobile: '13900000008' },
] as const;

/** Seeds an empty database with the demo city; a database with people in it is left alone. */
export async function seedDemo(db: Db, now: Date): Promise<boolean> {
  const [{ n }] = await db.select({ n: sql<number>`count(*)` }).from(people);
  if (n > 0) return false;
  const t = now.getTime();
  await db.insert(people).values(DEMO_PEOPLE.map((p) => ({ ...p, createdAt: t, updatedAt: t })));
  return true;
}
