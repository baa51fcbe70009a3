// The wiring of chat input: every command and every card action, listed here and nowhere else.
// No module registers itself by being imported.

import { cardActionTable } from '../src/bot/card-actions.ts';
import type { Command } from '../src/bot/command.ts';
import { hazardCardActions } from '../src/bot/hazard-actions.ts';
import { incidentCardActions } from '../src/bot/incident-actions.ts';
import { rosterCardActions } from '../src/bot/roster-actions.ts';
import { plainCardActions } from '../src/bot/plain-actions.ts';
import help from './help.ts';
import status from './status.ts';
import whoami from './whoami.ts';
import bind from './bind.ts';
import enterprise, { enterpriseCardActions } from './enterprise.ts';
import inspect, { inspectCardActions } from './inspect.ts';
import enforce, { enforceCardActions } from './enforce.ts';
import report from './report.ts';
import dispatch from './dispatch.ts';
import rectify from './rectify.ts';
import verify from './verify.ts';
import hazards from './hazards.ts';
import hazard from './hazard.ts';
import duty from './duty.ts';
import swap from './swap.ts';
import handover from './handover.ts';
import keyperiod from './keyperiod.ts';
import incident from './incident.ts';
import incidents from './incidents.ts';
import teams from './teams.ts';
import stats from './stats.ts';
import bulletin from './bulletin.ts';
import exportCommand from './export.ts';
import extend from './extend.ts';
import { ledgerCardActions } from '../src/bot/ledger-actions.ts';
import { tipCardActions } from '../src/bot/tip-actions.ts';
import supervise from './supervise.ts';
import reassign from './reassign.ts';
import tip from './tip.ts';
import tips from './tips.ts';
import { escalationCardActions } from '../src/bot/escalation-actions.ts';
import '../src/bot/ladder-kinds.ts';

/** Every chat command, in the order /help lists them. */
export const commands: readonly Command<any>[] = [help, whoami, bind, enterprise, inspect, enforce, report, dispatch, rectify, verify, extend, supervise, reassign, hazards, hazard, tip, tips, duty, swap, handover, keyperiod, incident, incidents, teams, stats, bulletin, exportCommand, status];

/** Every card button's action, by the name in its value (`{ action: NAME }`). A name listed twice fails at start-up. */
export const cardActions = cardActionTable([hazardCardActions, ledgerCardActions, tipCardActions, incidentCardActions, rosterCardActions, enterpriseCardActions, inspectCardActions, enforceCardActions, escalationCardActions, plainCardActions]);
