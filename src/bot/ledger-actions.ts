// Buttons of the ledger: 编辑五落实 and 申请延期 on the hazard card open their forms in place; the
// forms' submits and the extension card's 同意 / 不同意 run the ledger flows (ledger-flow.ts).

import type { CardAction, CardActionList, CardEvent } from './card-actions.ts';
import { BotError } from './errors.ts';
import { formText } from './hazard-actions.ts';
import { fundsFen } from './ledger-args.ts';
import { decideExtension, editLedger, requestExtension } from './ledger-flow.ts';
import { loadOrRefuse as mustLoad } from './hazard-flow.ts';
import { parseHazardNo } from '../domain/hazards.ts';
import { mayEditLedger } from '../domain/hazard-ledger.ts';
import { editLedgerCard, extendFormCard } from '../views/hazard-ledger.ts';

const stale = () => new BotError('此按钮已失效。', 'This button no longer works.');
const noOf = (event: CardEvent) => {
  const no = typeof event.value.no === 'string' ? parseHazardNo(event.value.no) : undefined;
  if (!no) throw stale();
  return no;
};

const onHazardEditOpen: CardAction = async (ctx, event) => {
  const rec = await mustLoad(ctx, noOf(event));
  if (!mayEditLedger(ctx.caller, rec)) {
    throw new BotError('修改五落实需要以下身份之一：上报人、整改责任人、管理员。', 'Editing the measures needs one of: the reporter, the assignee, an admin.');
  }
  ctx.respond({ type: 'info', zh: '请填写五落实后保存', en: 'Fill in the measures and save' }, editLedgerCard(rec));
};

const onHazardEditSave: CardAction = async (ctx, event) => {
  const f = event.formValue ?? {};
  const funds = formText(f.funds);
  // A field emptied on the form clears it; the form always sends all three.
  await editLedger(ctx, noOf(event), { measures: formText(f.measures) ?? null, contingency: formText(f.contingency) ?? null, fundsFen: funds ? fundsFen(funds) : null }, { kind: 'click' });
};

const onHazardExtendOpen: CardAction = async (ctx, event) => {
  const rec = await mustLoad(ctx, noOf(event));
  ctx.respond({ type: 'info', zh: '请选择新期限并写明理由', en: 'Choose the new deadline and give the reason' }, extendFormCard(rec, ctx.settings.tz));
};

const onHazardExtendRequest: CardAction = async (ctx, event) => {
  const f = event.formValue ?? {};
  const deadlineText = formText(f.deadline);
  if (!deadlineText) throw new BotError('请选择新期限。', 'Choose the new deadline.');
  await requestExtension(ctx, noOf(event), { deadlineText, reason: formText(f.reason) ?? '' }, { kind: 'click' });
};

const onHazardExtendDecide: CardAction = async (ctx, event) => {
  if (typeof event.value.approve !== 'boolean') throw stale();
  await decideExtension(ctx, noOf(event), { approve: event.value.approve }, { kind: 'click' });
};

export const ledgerCardActions: CardActionList = [
  ['hazard.edit_open', onHazardEditOpen],
  ['hazard.edit_save', onHazardEditSave],
  ['hazard.extend_open', onHazardExtendOpen],
  ['hazard.extend_request', onHazardExtendRequest],
  ['hazard.extend_decide', onHazardExtendDecide],
];
