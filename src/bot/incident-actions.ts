// The incident cards' buttons, answered inline within Lark's 3 s (listed in commands/index.ts).

import type { CardAction, CardActionList } from './card-actions.ts';
import { BotError } from './errors.ts';
import { dispatchTeams, recordStep } from './incident-flow.ts';
import { isStep, parseIncidentNo } from '../domain/incidents.ts';

const stale = () => new BotError('此按钮已失效。', 'This button no longer works.');

/**
 * The chosen team ids: the card's multi-select answers with a list; a single string still comes
 * from cards sent while the choice was a one-team select_static.
 */
function teamIdsOf(v: unknown): number[] {
  const list = Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v];
  return list.map((x) => Number(x)).filter((n) => Number.isInteger(n) && n > 0);
}

const onIncidentDispatch: CardAction = async (ctx, event) => {
  const no = parseIncidentNo(typeof event.value.no === 'string' ? event.value.no : undefined);
  if (!no) throw stale();
  await dispatchTeams(ctx, no, teamIdsOf(event.formValue?.team));
};

const onIncidentStep: CardAction = async (ctx, event) => {
  const v = event.value;
  const no = parseIncidentNo(typeof v.no === 'string' ? v.no : undefined);
  const team = Number(v.team);
  if (!no || !Number.isInteger(team) || !isStep(v.step)) throw stale();
  await recordStep(ctx, no, team, v.step);
};

/** The card actions this module answers (wired in commands/index.ts). */
export const incidentCardActions: CardActionList = [
  ['incident.dispatch', onIncidentDispatch],
  ['incident.step', onIncidentStep],
];
