// teams.csv: name,type,leader,members,township,equipment — upserted by name.
// type is a team type code or its Chinese label; leader (队长) is a registered person's name or
// open_id and is required (a dispatch goes to them); equipment is `抽水泵:12|冲锋舟:3`.
// Teams missing from the file are left alone; the import never deletes.

import { eq, inArray } from 'drizzle-orm';
import { teams } from '../db/schema.ts';
import { parseTeamType, TEAM_TYPE_HINT, type TeamType } from '../domain/incident-types.ts';
import { equipmentOf, parseEquipment, type Team } from '../domain/teams.ts';
import { chunk, optional, type Importer, type ImportPlan, isProblem } from './framework.ts';
import { personCell, repeatedRows } from './refs.ts';

export interface TeamRow {
  name: string;
  type: TeamType;
  leaderOpenId: string;
  members: number;
  township: string | null;
  /** Stored JSON. */
  equipment: string;
}

export const teamsImporter: Importer<TeamRow> = {
  name: 'teams',
  header: ['name', 'type', 'leader', 'members', 'township', 'equipment'],
  aliases: {
    name: ['队伍名称'], type: ['队伍类型', '类型'], leader: ['队长', '负责人'], members: ['人数', '队员人数'],
    township: ['乡镇', '所属乡镇'], equipment: ['装备', '抢险设备'],
  },
  units: { members: ['人'] },

  async parse(r, ctx) {
    const name = r.name.trim();
    if (!name) return '队伍名称必填 / name is required';
    const typeText = r.type.trim();
    if (!typeText) return `队伍类型必填 / type is required (${TEAM_TYPE_HINT})`;
    const type = parseTeamType(typeText);
    if (!type) return `队伍类型无效 / unknown type "${typeText}" (expected ${TEAM_TYPE_HINT})`;
    if (!r.leader.trim()) return '队长必填 / leader is required (a registered name or open_id)';
    const leader = await personCell(ctx, r.leader, 'leader');
    if (isProblem(leader)) return leader;
    const membersText = r.members.trim();
    if (!/^\d+$/.test(membersText) || !Number.isSafeInteger(Number(membersText))) {
      return `人数无效 / members "${membersText}" must be a whole number (0 or more)`;
    }
    const equipment = parseEquipment(r.equipment);
    if (isProblem(equipment)) return equipment;
    return {
      name,
      type,
      leaderOpenId: leader.openId!,
      members: Number(membersText),
      township: optional(r.township),
      equipment: JSON.stringify(equipment),
    };
  },

  check: (rows) => repeatedRows(rows, (r) => r.name, 'name'),

  async plan(rows, { db, now }) {
    const at = now.getTime();
    const existing = new Map<string, Team>();
    for (const names of chunk(rows.map((r) => r.row.name), 500)) {
      for (const t of await db.select().from(teams).where(inArray(teams.name, names))) existing.set(t.name, t);
    }
    const plan: ImportPlan = { statements: [], inserted: 0, updated: 0, unchanged: 0 };
    const fresh: (typeof teams.$inferInsert)[] = [];
    for (const { row } of rows) {
      const old = existing.get(row.name);
      if (!old) {
        fresh.push({ ...row, createdAt: at, updatedAt: at });
        plan.inserted++;
      } else if (sameTeam(old, row)) {
        plan.unchanged++;
      } else {
        const { name, ...fields } = row;
        plan.statements.push(db.update(teams).set({ ...fields, updatedAt: at }).where(eq(teams.id, old.id)));
        plan.updated++;
      }
    }
    for (const values of chunk(fresh, 100)) plan.statements.push(db.insert(teams).values(values));
    return plan;
  },
};

function sameTeam(old: Team, row: TeamRow): boolean {
  return (
    old.type === row.type &&
    old.leaderOpenId === row.leaderOpenId &&
    old.members === row.members &&
    (old.township ?? '') === (row.township ?? '') &&
    JSON.stringify(equipmentOf(old)) === row.equipment
  );
}
