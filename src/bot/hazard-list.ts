import { filterLabel, listHazards, PAGE_SIZE, resolveFilter } from '../domain/hazard-list.ts';
import { hazardListCard } from '../views/hazard-cards.ts';
import type { Card } from '../lark/cards.ts';
import type { BotContext } from './context.ts';
import type { Caller } from '../domain/people.ts';
import { ALL, type Scope } from '../domain/stats-scope.ts';

/**
 * Whose hazards a list may show: a county's people (on record with a county, not admins) their
 * county's only, as in /stats (issue 20); everyone else every township's, as before counties.
 */
export function listScope(caller: Caller): Scope {
  const county = caller.person?.county?.trim();
  return county && !caller.roles.has('admin') ? { kind: 'county', county } : ALL;
}

/** One page of `/hazards FILTER` as a card; `mine` means whoever asks (or clicks 下一页). */
export async function hazardListPage(ctx: BotContext, filterWord: string | undefined, page: number): Promise<Card> {
  const filter = await resolveFilter(ctx.db, filterWord, ctx.caller.openId, ctx.now);
  const scope = listScope(ctx.caller);
  const { rows, total } = await listHazards(ctx.db, filter, page, scope);
  const label = filterLabel(filter);
  return hazardListCard({
    label: scope.kind === 'county' && filter.kind !== 'county' ? { zh: `${label.zh} · ${scope.county}`, en: `${label.en} · ${scope.county}` } : label,
    filter: filterWord ?? '',
    rows,
    total,
    page,
    pageSize: PAGE_SIZE,
    now: ctx.now,
    tz: ctx.settings.tz,
  });
}
