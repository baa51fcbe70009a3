import type { Bi } from '../src/bi.ts';
import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { allows, notRegistered, requireRole } from '../src/bot/access.ts';
import type { CardAction, CardActionList } from '../src/bot/card-actions.ts';
import type { BotContext } from '../src/bot/context.ts';
import { enterpriseFor, idFrom } from '../src/bot/enterprise-ref.ts';
import { BotError } from '../src/bot/errors.ts';
import type { PersonRef } from '../src/bot/parse.ts';
import {
  enterpriseById,
  enterpriseByName,
  enterpriseChanges,
  enterprisePeople,
  matchEnterprise,
  normalizeAliases,
  openHazardsOf,
  saveEnterprise,
  type Enterprise,
  type EnterpriseFields,
  type FieldChange,
} from '../src/domain/enterprises.ts';
import { findPeople, findPersonByOpenId, type Person } from '../src/domain/people.ts';
import { SECTOR_CODES, SECTORS, parseSector, sectorLabel } from '../src/domain/sectors.ts';
import { enterpriseCard } from '../src/views/enterprise-cards.ts';
import { own } from '../src/own.ts';

const USAGE = '/enterprise 企业名称 | /enterprise add 企业名称 行业:… 乡镇:… [地址:…] [包保:@某人] [联系人:@某人] [别名:简称|俗称]';

const args = z.object({
  words: z.array(z.string()).min(1),
  options: z.record(z.string(), z.string()),
  mentions: z.array(z.object({ openId: z.string(), name: z.string() })),
});
type Args = z.infer<typeof args>;

export default defineCommand({
  name: 'enterprise',
  aliases: ['企业'],
  summary: { zh: '查看企业及其未销号隐患；管理员可登记企业', en: 'show an enterprise and its open hazards; admins register enterprises' },
  usage: USAGE,
  args,
  roles: 'registered',
  async handle(ctx, a) {
    if (ADD_WORDS.has(a.words[0].toLowerCase())) {
      if (a.words.length > 1 || Object.keys(a.options).length) return add(ctx, a);
      if (!(await enterpriseByName(ctx.db, a.words[0]))) throw new BotError(`用法：${USAGE}`, `Usage: ${USAGE}`);
    }
    if (Object.keys(a.options).length || a.mentions.length) {
      throw new BotError(`参数有误。用法：${USAGE}`, `Bad arguments. Usage: ${USAGE}`);
    }
    const name = a.words.join(' ');
    const e = await enterpriseFor(ctx, name, {
      value: (c) => ({ action: 'enterprise.show', enterpriseId: c.id }),
      purpose: { zh: '查看', en: 'to show' },
    });
    if (e) ctx.reply({ card: await showCard(ctx, e) });
  },
});

const ADD_WORDS = new Set(['add', '添加', '新增', '登记']);

async function showCard(ctx: BotContext, e: Enterprise) {
  const [{ supervisor, contact }, open] = await Promise.all([enterprisePeople(ctx.db, e), openHazardsOf(ctx.db, e.id)]);
  return enterpriseCard(e, { supervisor, contact, hazards: open.rows, totalOpen: open.total, now: ctx.now, tz: ctx.settings.tz });
}

const onEnterpriseShow: CardAction = async (ctx, event) => {
  if (!allows('registered', ctx.caller)) throw notRegistered();
  const e = await enterpriseById(ctx.db, idFrom(event.value, 'enterpriseId'));
  if (!e) throw new BotError('该企业已不存在。', 'That enterprise no longer exists.');
  ctx.respond({ type: 'info', zh: e.name, en: e.name }, await showCard(ctx, e));
};

// ── /enterprise add ─────────────────────────────────────────────────────────────────────────

type Key = 'sector' | 'township' | 'address' | 'supervisor' | 'contact' | 'aliases';
const KEYS: Record<string, Key> = {
  行业: 'sector',
  sector: 'sector',
  乡镇: 'township',
  街道: 'township',
  乡镇街道: 'township',
  township: 'township',
  地址: 'address',
  address: 'address',
  包保: 'supervisor',
  包保领导: 'supervisor',
  supervisor: 'supervisor',
  联系人: 'contact',
  企业联系人: 'contact',
  contact: 'contact',
  别名: 'aliases',
  简称: 'aliases',
  aliases: 'aliases',
  alias: 'aliases',
};
const keyOf = (k: string) => own(KEYS, k) ?? own(KEYS, k.toLowerCase());
const LABEL = /^(.+)[:：]$/;

async function add(ctx: BotContext, a: Args) {
  requireRole(ctx.caller, ['admin'], { zh: '登记企业', en: 'Registering an enterprise' });
  // `包保:@张三` arrives as the word `包保:` followed by a mention: pair such labels with the mentions in order.
  const labels = a.words.slice(1).filter((w) => LABEL.test(w));
  const nameWords = a.words.slice(1).filter((w) => !LABEL.test(w));
  const name = nameWords.join(' ').trim();
  if (!name) throw new BotError(`请写出企业名称。用法：${USAGE}`, `Name the enterprise. Usage: ${USAGE}`);
  if (labels.length !== a.mentions.length) {
    throw new BotError(
      '请用 包保:@某人 或 联系人:@某人 的形式指明每位被@的人。',
      'Put 包保: or 联系人: right before each person you mention.',
    );
  }

  const raw: Partial<Record<Key, string | PersonRef>> = {};
  const unknown: string[] = [];
  const set = (k: string, v: string | PersonRef) => {
    const key = keyOf(k);
    if (!key) unknown.push(k);
    else if (raw[key] !== undefined) throw new BotError(`"${k}"写了两次。`, `"${k}" is given twice.`);
    else raw[key] = v;
  };
  for (const [k, v] of Object.entries(a.options)) set(k, v);
  labels.forEach((l, i) => set(LABEL.exec(l)![1], a.mentions[i]));
  if (unknown.length) {
    throw new BotError(
      `不认识的项目：${unknown.join('、')}。可用：行业、乡镇、地址、包保、联系人、别名。`,
      `Unknown fields: ${unknown.join(', ')}. Known: 行业 sector, 乡镇 township, 地址 address, 包保 supervisor, 联系人 contact, 别名 aliases.`,
    );
  }

  const fields: EnterpriseFields = {};
  const people = new Map<string, Person>();
  const textOf = (key: 'sector' | 'township' | 'address' | 'aliases') => {
    const v = raw[key];
    if (v !== undefined && typeof v !== 'string') throw new BotError(`@${v.name} 不能作为${FIELD_LABELS[key].zh}。`, `@${v.name} cannot be a ${key}.`);
    return v?.trim();
  };
  const sectorText = textOf('sector');
  if (sectorText !== undefined) {
    const sector = parseSector(sectorText);
    if (!sector) {
      const hint = SECTOR_CODES.map((c) => SECTORS[c]).join('、');
      throw new BotError(`行业"${sectorText}"无效，可选：${hint}。`, `Unknown sector "${sectorText}"; one of: ${SECTOR_CODES.join(', ')}.`);
    }
    fields.sector = sector;
  }
  const township = textOf('township');
  if (township !== undefined) fields.township = township;
  const address = textOf('address');
  if (address !== undefined) fields.address = address;
  const aliases = textOf('aliases');
  if (aliases !== undefined) fields.aliases = normalizeAliases(aliases);
  for (const [key, field, label] of [
    ['supervisor', 'supervisorOpenId', { zh: '包保领导', en: 'supervisor' }],
    ['contact', 'contactOpenId', { zh: '企业联系人', en: 'contact' }],
  ] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    const p = await personFor(ctx, v, label);
    people.set(p.openId, p);
    fields[field] = p.openId;
  }

  const old = await enterpriseByName(ctx.db, name);
  if (!old || !old.registered) {
    // A registered enterprise has its sector and township: a new or completed one must be given both.
    const missing = [!fields.sector && ['行业', 'sector'], !fields.township && !old?.township && ['乡镇', 'township']].filter((x) => !!x);
    if (missing.length) {
      const what = old ? ['完善未登记企业', 'Completing an unregistered enterprise'] : ['登记新企业', 'Registering a new enterprise'];
      throw new BotError(
        `${what[0]}需要填写：${missing.map((m) => m[0]).join('、')}。用法：${USAGE}`,
        `${what[1]} needs ${missing.map((m) => `${m[0]} (${m[1]})`).join(' and ')}. Usage: ${USAGE}`,
      );
    }
  }

  const changes = enterpriseChanges(old, fields);
  if (old && changes.length === 0) {
    ctx.reply({ text: `企业"${name}"已登记，信息没有变化。\nEnterprise "${name}" is registered already; nothing changed.` });
    return;
  }
  ctx.write(saveEnterprise(ctx.db, old, name, fields, ctx.now));

  const lines = await describeChanges(ctx, changes, people);
  const head = !old
    ? { zh: `已登记企业"${name}"：`, en: `Registered enterprise "${name}":` }
    : !old.registered
      ? { zh: `已完善并登记企业"${name}"（原为隐患上报时自动创建）：`, en: `Completed and registered "${name}" (created earlier by a hazard report):` }
      : { zh: `已更新企业"${name}"：`, en: `Updated enterprise "${name}":` };
  const text = [head.zh, ...lines.map((l) => `· ${l.zh}`), head.en, ...lines.map((l) => `· ${l.en}`)];
  if (!old) {
    const similar = await matchEnterprise(ctx.db, name, 5);
    const names = similar.kind === 'one' ? [similar.enterprise.name] : similar.kind === 'many' ? similar.candidates.map((c) => c.name) : [];
    if (names.length) text.push(`注意：已有名称相近的企业 Similar names exist: ${names.join('、')}`);
  }
  ctx.reply({ text: text.join('\n') });
}

/** A person given as a mention, an open_id or a registered name; an unknown or ambiguous one is refused. */
async function personFor(ctx: BotContext, v: string | PersonRef, label: Bi): Promise<Person> {
  if (typeof v !== 'string') {
    const p = await findPersonByOpenId(ctx.db, v.openId);
    if (!p) throw new BotError(`${label.zh} ${v.name} 尚未登记，请先导入人员。`, `The ${label.en} ${v.name} is not registered; import them first.`);
    return p;
  }
  const key = v.replace(/^@/, '').trim();
  const found = await findPeople(ctx.db, key);
  if (found.length === 1) return found[0];
  if (found.length === 0) throw new BotError(`${label.zh}"${key}"未登记。请@此人，或先导入人员。`, `No registered person "${key}" for ${label.en}; mention them, or import them first.`);
  throw new BotError(
    `有 ${found.length} 位"${key}"，请@具体的人。`,
    `${found.length} people are named "${key}"; mention the one you mean.`,
  );
}

const FIELD_LABELS: Record<FieldChange['field'], Bi> = {
  sector: { zh: '行业', en: 'sector' },
  township: { zh: '乡镇', en: 'township' },
  address: { zh: '地址', en: 'address' },
  supervisorOpenId: { zh: '包保领导', en: 'supervisor' },
  contactOpenId: { zh: '企业联系人', en: 'contact' },
  aliases: { zh: '别名', en: 'aliases' },
  registered: { zh: '登记状态', en: 'registration' },
};

async function describeChanges(ctx: BotContext, changes: FieldChange[], known: Map<string, Person>) {
  const show = async (c: FieldChange, v: FieldChange['from']): Promise<Bi> => {
    if (v === null || v === '') return { zh: '（空）', en: '(none)' };
    if (c.field === 'registered') return v ? { zh: '已登记', en: 'registered' } : { zh: '未登记', en: 'unregistered' };
    if (c.field === 'sector') return { zh: sectorLabel(String(v)), en: String(v) };
    if (c.field === 'supervisorOpenId' || c.field === 'contactOpenId') {
      const p = known.get(String(v)) ?? (await findPersonByOpenId(ctx.db, String(v)));
      const t = p ? [p.name, p.mobile].filter(Boolean).join(' ') : String(v);
      return { zh: t, en: t };
    }
    return { zh: String(v), en: String(v) };
  };
  const out: Bi[] = [];
  for (const c of changes) {
    const label = FIELD_LABELS[c.field];
    const [from, to] = [await show(c, c.from), await show(c, c.to)];
    out.push(
      c.from === null || c.from === ''
        ? { zh: `${label.zh}：${to.zh}`, en: `${label.en}: ${to.en}` }
        : { zh: `${label.zh}：${from.zh} → ${to.zh}`, en: `${label.en}: ${from.en} → ${to.en}` },
    );
  }
  return out;
}

/** The card actions this module answers (wired in commands/index.ts). */
export const enterpriseCardActions: CardActionList = [
  ['enterprise.show', onEnterpriseShow],
];
