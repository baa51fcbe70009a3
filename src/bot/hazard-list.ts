import { filterLabel, listHazards, PAGE_SIZE, resolveFilter } from '../domain/hazard-list.ts';
import { hazardListCard } from '../views/hazard-cards.ts';
import type { Card } from '../lark/cards.ts';
import type { BotContext } from './context.ts';

/** One page of `/hazards FILTER` as a card; `mine` means whoever asks (or clicks 下一页). */
export async function hazardListPage(ctx: BotContext, filterWord: string | undefined, page: number): Promise<Card> {
  const filter = await resolveFilter(ctx.db, filterWord, ctx.caller.openId, ctx.now);
  const { rows, total } = await listHazards(ctx.db, filter, page);
  return hazardListCard({
    label: filterLabel(filter),
    filter: filterWord ?? '',
    rows,
    total,
    page,
    pageSize: PAGE_SIZE,
    now: ctx.now,
    tz: ctx.settings.tz,
  });
}
