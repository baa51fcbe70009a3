import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';

// All times are UTC epoch milliseconds. People see TZ_NAME; storage never does.

export const people = sqliteTable('people', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  openId: text('open_id').notNull().unique(),
  name: text('name').notNull(),
  mobile: text('mobile'),
  /** `|`-joined subset of admin, leader, inspector, officer, contact. */
  roles: text('roles').notNull().default(''),
  department: text('department'),
  township: text('township'),
  /** 县区: a county bureau's people see that county's figures only (a province's leaders leave it empty). */
  county: text('county'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [index('people_name').on(t.name)]);

/** Every acknowledged Lark event, keyed by Lark's event_id so a redelivery is a no-op. */
export const inbox = sqliteTable('inbox', {
  eventId: text('event_id').primaryKey(),
  eventType: text('event_type').notNull(),
  /** The decrypted event envelope as JSON. */
  payload: text('payload').notNull(),
  receivedAt: integer('received_at').notNull(),
  /** pending → done | ignored | failed */
  status: text('status').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  /** A worker owns a claimed row until this instant; after it the row may be claimed again. */
  claimedUntil: integer('claimed_until'),
  claimedBy: text('claimed_by'),
  processedAt: integer('processed_at'),
  error: text('error'),
}, (t) => [index('inbox_pending').on(t.status, t.receivedAt)]);

/** Every message the bot will send, written in the same batch as the change that causes it. */
export const outbox = sqliteTable('outbox', {
  /** Also the Lark message `uuid`, so a resend after a crash is dropped by Lark. */
  id: text('id').primaryKey(),
  /** reply | send | patch | urgent | image */
  kind: text('kind').notNull(),
  /** reply/patch: message_id; send: chat_id or open_id; urgent: open_id list (JSON) */
  target: text('target').notNull(),
  /** open_id | chat_id | message_id */
  targetType: text('target_type').notNull(),
  /** text | interactive | post | image | file */
  msgType: text('msg_type').notNull(),
  content: text('content').notNull(),
  /** A row that must wait for another row's message (buzz after send, patch after send). */
  parentId: text('parent_id'),
  /** Free-form key a scheduled job uses so that a rerun never queues the same reminder twice. */
  dedupeKey: text('dedupe_key'),
  /** Who this is about, for the sandbox and audits (open_id or chat_id). */
  audience: text('audience'),
  /** The chat the message lands in: messages of one chat are delivered in queue order. */
  chatKey: text('chat_key').notNull().default(''),
  /** What the message is about, e.g. `hazard:12`, so a reply in its thread finds its subject. */
  subject: text('subject'),
  status: text('status').notNull().default('pending'),
  /** 1 for emergencies (incident cards, 加急 buzzes and the messages they ring): sent first when the app-wide limit binds. */
  priority: integer('priority').notNull().default(0),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: integer('next_attempt_at').notNull(),
  claimedUntil: integer('claimed_until'),
  claimedBy: text('claimed_by'),
  larkMessageId: text('lark_message_id'),
  lastError: text('last_error'),
  createdAt: integer('created_at').notNull(),
  sentAt: integer('sent_at'),
  /**
   * A card that can no longer be patched (Lark allows 14 days) is followed by a fresh card in its
   * thread: the id of the row that sent it. Later patches of this card go to that one.
   */
  replacedBy: text('replaced_by'),
}, (t) => [
  index('outbox_due').on(t.status, t.nextAttemptAt),
  uniqueIndex('outbox_dedupe').on(t.dedupeKey),
  index('outbox_parent').on(t.parentId),
  index('outbox_lark_message').on(t.larkMessageId),
  index('outbox_chat').on(t.chatKey, t.status),
]);

/** Small facts the process learns at start-up (the bot's open_id) or keeps across restarts. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * One row per inbox event whose effects were committed. It is the first statement of the
 * batch that applies those effects, so a second worker's batch for the same event fails on
 * the primary key and rolls back whole: an event's effects land exactly once.
 */
export const processedEvents = sqliteTable('processed_events', {
  eventId: text('event_id').primaryKey(),
  processedAt: integer('processed_at').notNull(),
});

/** Lark Open API calls by kind and local day: the monthly budget (LARK_MONTHLY_CALL_BUDGET) and /status. */
export const apiCalls = sqliteTable('api_calls', {
  /** Local date YYYY-MM-DD (TZ_NAME). */
  day: text('day').notNull(),
  /** send | reply | patch | urgent | upload | download | chat | card_update | bot */
  kind: text('kind').notNull(),
  calls: integer('calls').notNull().default(0),
  /** Of those, the ones Lark refused (Lark does not count refused calls against its quota). */
  failed: integer('failed').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.day, t.kind] })]);

/**
 * What Watchkeeper mirrored into Feishu (issue 19): one row per mirrored thing — a hazard's task
 * (`task`, key = hazard no), a shift's or key period's calendar event (`event`, key `shift:ID` /
 * `keyperiod:ID`), the duty calendar itself (`calendar`, key `duty`), a hazard's Bitable record
 * (`record`, key = hazard no) — with Feishu's id for it and the state last written there, so a
 * retried or repeated sync sends only what changed and never creates a second one.
 */
export const mirrorItems = sqliteTable('mirror_items', {
  kind: text('kind').notNull(),
  key: text('key').notNull(),
  feishuId: text('feishu_id').notNull(),
  /** JSON: the mirrored fields as Feishu has them now. */
  state: text('state').notNull().default('{}'),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [primaryKey({ columns: [t.kind, t.key] }), index('mirror_items_feishu').on(t.kind, t.feishuId)]);

/** Named counters (hazard and incident numbers per year), bumped atomically by one statement. */
export const sequences = sqliteTable('sequences', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
});

/** 企业 / 生产经营单位. Unregistered ones were created by a hazard report and await an admin. */
export const enterprises = sqliteTable('enterprises', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  /** A sector code: mining, hazardous_chemicals, … (src/domain/sectors.ts). */
  sector: text('sector').notNull().default('other'),
  township: text('township'),
  address: text('address'),
  /** 包保领导 */
  supervisorOpenId: text('supervisor_open_id'),
  /** 企业联系人 */
  contactOpenId: text('contact_open_id'),
  /** Other names people use for it (简称, 俗称), `|`-joined; matched in plain messages. */
  aliases: text('aliases'),
  registered: integer('registered', { mode: 'boolean' }).notNull().default(true),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [index('enterprises_township').on(t.township), index('enterprises_sector').on(t.sector)]);

/**
 * Which county (县区) a township belongs to, from the enterprises import's optional `county` column.
 * Hazards, enterprises and people name their township; the county is looked up here, so a
 * township moved to another county moves its history with it.
 */
export const townships = sqliteTable('townships', {
  name: text('name').primaryKey(),
  county: text('county').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [index('townships_county').on(t.county)]);

/** 隐患. Sector and township are copied from the enterprise when reported, for fast statistics. */
export const hazards = sqliteTable('hazards', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** YH-YYYY-NNNN */
  no: text('no').notNull().unique(),
  enterpriseId: integer('enterprise_id').notNull(),
  sector: text('sector').notNull(),
  township: text('township'),
  /** general | major */
  level: text('level').notNull(),
  description: text('description').notNull(),
  reporterOpenId: text('reporter_open_id'),
  assigneeOpenId: text('assignee_open_id'),
  deadline: integer('deadline'),
  /** reported | dispatched | rectified | closed */
  status: text('status').notNull(),
  sourceChatId: text('source_chat_id'),
  sourceMessageId: text('source_message_id'),
  /** The outbox row of the bot's hazard card; its Lark message id is on that row once sent. */
  cardOutboxId: text('card_outbox_id'),
  inspectionId: integer('inspection_id'),
  reportedAt: integer('reported_at').notNull(),
  dispatchedAt: integer('dispatched_at'),
  rectifiedAt: integer('rectified_at'),
  closedAt: integer('closed_at'),
  /** When the overdue-nags job next looks at this hazard; stored, never recomputed from run counts. */
  nextNagAt: integer('next_nag_at'),
  updatedAt: integer('updated_at').notNull(),
  // 五落实: measures, funds, (assignee), (deadline), interim safety measures until fixed.
  /** 整改措施 */
  measures: text('measures'),
  /** 整改资金 in fen (the ledger writes 万元). */
  fundsFen: integer('funds_fen'),
  /** 应急预案 / 防范措施 */
  contingency: text('contingency'),
  /** 来源: inspection | expert | self_check | covert | tip | other (src/domain/hazard-sources.ts). */
  source: text('source').notNull().default('inspection'),
  /** 立查立改: found and rectified on the spot. */
  onTheSpot: integer('on_the_spot', { mode: 'boolean' }).notNull().default(false),
  /** The deadline first set (at dispatch); extensions move `deadline` only. 按期整改率 counts against this. */
  originalDeadline: integer('original_deadline'),
  /** Approved extensions (延期). */
  extensions: integer('extensions').notNull().default(0),
  /** 复查人: who verified it last. */
  verifierOpenId: text('verifier_open_id'),
  /** 挂牌督办: city | county; null when not listed. */
  superviseLevel: text('supervise_level'),
  /** 督办单位 */
  superviseUnit: text('supervise_unit'),
  /** 督办人: the only one besides leaders who may verify (验收销号) a listed hazard. */
  superviseOpenId: text('supervise_open_id'),
  supervisedAt: integer('supervised_at'),
  /** The 12350 tip this hazard was found from. */
  tipId: integer('tip_id'),
}, (t) => [
  index('hazards_status_deadline').on(t.status, t.deadline),
  index('hazards_enterprise').on(t.enterpriseId),
  index('hazards_reported_at').on(t.reportedAt),
  index('hazards_assignee').on(t.assigneeOpenId, t.status),
  // `/hazards mine` is assignee OR reporter: with both indexed it is two index searches, not a
  // scan of every hazard (50 ms at 200,000 rows, bench/latency).
  index('hazards_reporter').on(t.reporterOpenId, t.reportedAt),
  index('hazards_source_message').on(t.sourceMessageId),
  // Statistics (docs/adr/0009-stats-queries.md): covering indexes whose leading columns are the
  // grouping key, status and level, so each (key, status, level) cell is one range count.
  index('hazards_stats_sector').on(t.sector, t.status, t.level, t.reportedAt, t.deadline),
  index('hazards_stats_township').on(t.township, t.status, t.level, t.reportedAt, t.deadline, t.sector),
  index('hazards_stats_enterprise').on(t.enterpriseId, t.status, t.level, t.reportedAt, t.deadline, t.township),
  index('hazards_inspection').on(t.inspectionId, t.status, t.township),
  // Statistics of the ledger's rarer facts, as partial indexes so the common hazard costs nothing:
  // hazards not from an ordinary inspection (by source), rectified after their original deadline
  // (按期整改率 is the complement), and listed, extended or fixed on the spot.
  index('hazards_stats_source').on(t.source, t.reportedAt, t.township, t.status).where(sql`source <> 'inspection'`),
  index('hazards_stats_late').on(t.reportedAt, t.township, t.status, t.rectifiedAt, t.originalDeadline, t.deadline)
    .where(sql`rectified_at > coalesce(original_deadline, deadline)`),
  index('hazards_stats_flags').on(t.reportedAt, t.township, t.onTheSpot, t.superviseLevel, t.extensions)
    .where(sql`on_the_spot = 1 OR supervise_level IS NOT NULL OR extensions > 0`),
  index('hazards_tip').on(t.tipId),
  // Statistics with rollups (docs/adr/0022-statistics-rollups.md): overdue depends on `now`, so it is
  // the rollup's dispatched count less the dispatched hazards whose deadline is still ahead (or none).
  index('hazards_stats_due').on(t.deadline, t.reportedAt, t.township, t.sector, t.level).where(sql`status = 'dispatched'`),
]);

/** 延期: an assignee's request for a later deadline, and the decision on it. */
export const hazardExtensions = sqliteTable('hazard_extensions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  hazardId: integer('hazard_id').notNull(),
  requestedBy: text('requested_by').notNull(),
  fromDeadline: integer('from_deadline').notNull(),
  toDeadline: integer('to_deadline').notNull(),
  reason: text('reason').notNull(),
  /** pending | approved | refused */
  status: text('status').notNull(),
  decidedBy: text('decided_by'),
  decidedAt: integer('decided_at'),
  decisionNote: text('decision_note'),
  cardOutboxId: text('card_outbox_id'),
  createdAt: integer('created_at').notNull(),
}, (t) => [index('hazard_extensions_hazard').on(t.hazardId, t.status)]);

/** 12350 群众举报: a tip received (受理), assigned (交办), checked (核查), answered (反馈). */
export const tips = sqliteTable('tips', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** JB-YYYY-NNNN */
  no: text('no').notNull().unique(),
  description: text('description').notNull(),
  enterpriseName: text('enterprise_name'),
  township: text('township'),
  /** 举报人电话: shown only to admins and the assigned inspector; never logged. */
  tipsterPhone: text('tipster_phone'),
  /** received | assigned | verified | closed */
  status: text('status').notNull(),
  receivedBy: text('received_by'),
  receivedAt: integer('received_at').notNull(),
  assigneeOpenId: text('assignee_open_id'),
  assignedBy: text('assigned_by'),
  assignedAt: integer('assigned_at'),
  deadline: integer('deadline'),
  /** true = 属实, false = 不属实, null until checked. */
  substantiated: integer('substantiated', { mode: 'boolean' }),
  verifyNote: text('verify_note'),
  verifiedAt: integer('verified_at'),
  feedback: text('feedback'),
  closedAt: integer('closed_at'),
  sourceChatId: text('source_chat_id'),
  sourceMessageId: text('source_message_id'),
  cardOutboxId: text('card_outbox_id'),
  /** When the overdue-nags job next looks at this tip. */
  nextNagAt: integer('next_nag_at'),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [index('tips_status').on(t.status, t.deadline), index('tips_received_at').on(t.receivedAt), index('tips_next_nag').on(t.nextNagAt)]);

/** The timeline: every change to a hazard, who made it and why. */
export const hazardEvents = sqliteTable('hazard_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  hazardId: integer('hazard_id').notNull(),
  at: integer('at').notNull(),
  actorOpenId: text('actor_open_id'),
  /** report | dispatch | rectify | verify_pass | verify_fail | photo | import | … */
  action: text('action').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status'),
  note: text('note'),
}, (t) => [index('hazard_events_hazard').on(t.hazardId, t.at)]);

/** Photo evidence: an image message in a hazard's thread. */
export const hazardPhotos = sqliteTable('hazard_photos', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  hazardId: integer('hazard_id').notNull(),
  messageId: text('message_id').notNull(),
  imageKey: text('image_key').notNull(),
  uploadedBy: text('uploaded_by'),
  at: integer('at').notNull(),
}, (t) => [uniqueIndex('hazard_photos_unique').on(t.hazardId, t.imageKey)]);

/** 检查 / 排查: one visit to one enterprise (户次); covert = 暗查暗访. */
export const inspections = sqliteTable('inspections', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  enterpriseId: integer('enterprise_id').notNull(),
  inspectorOpenId: text('inspector_open_id'),
  at: integer('at').notNull(),
  covert: integer('covert', { mode: 'boolean' }).notNull().default(false),
  /** Natural key of an imported ledger row, so a re-import changes nothing. */
  importKey: text('import_key').unique(),
  createdAt: integer('created_at').notNull(),
}, (t) => [
  index('inspections_at').on(t.at),
  index('inspections_enterprise').on(t.enterpriseId, t.at),
  // Statistics: per-enterprise counts without touching the table; covert visits on their own.
  index('inspections_stats_enterprise').on(t.enterpriseId, t.at, t.covert),
  index('inspections_covert').on(t.covert, t.at, t.enterpriseId),
]);

/** 执法: documents, suspensions, seals, interviews, detentions, fines. */
export const enforcementActions = sqliteTable('enforcement_actions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  enterpriseId: integer('enterprise_id').notNull(),
  /** document | suspend | seal | interview | detain | fine */
  kind: text('kind').notNull(),
  /** Fines in fen (分), so sums are exact. */
  amountFen: integer('amount_fen').notNull().default(0),
  /** People interviewed or detained. */
  people: integer('people').notNull().default(0),
  note: text('note'),
  actorOpenId: text('actor_open_id'),
  at: integer('at').notNull(),
  importKey: text('import_key').unique(),
  createdAt: integer('created_at').notNull(),
}, (t) => [
  index('enforcement_at').on(t.at),
  index('enforcement_enterprise').on(t.enterpriseId, t.at),
  // Statistics: per-enterprise sums without touching the table.
  index('enforcement_stats_enterprise').on(t.enterpriseId, t.at, t.kind, t.people, t.amountFen),
  // Statistics with rollups: 停产整顿 and 查封 count distinct enterprises, which no rollup can add up.
  index('enforcement_stats_kind').on(t.kind, t.at, t.enterpriseId),
]);

/**
 * The local calendar the rollups are bucketed by: every local day (UTC ms of its midnight in TZ_NAME)
 * with its month and year. Filled for Asia/Shanghai by the migration; `npm run rollups -- rebuild`
 * refills it for another TZ_NAME. A period whose ends are not days here is counted from the rows.
 */
export const statsCalendar = sqliteTable('stats_calendar', {
  day: integer('day').primaryKey(),
  month: integer('month').notNull(),
  year: integer('year').notNull(),
});

/**
 * Counts per local day, month and year (grain d / m / y) × township ('' for none) × sector, kept by
 * SQLite triggers on hazards, inspections, enforcement_actions and enterprises, so every statement
 * that moves a count moves the rollup in the same statement (docs/adr/0022-statistics-rollups.md).
 * Hazards count under their own township and sector; visits and actions under their enterprise's.
 */
export const statsRollup = sqliteTable('stats_rollup', {
  grain: text('grain').notNull(),
  bucket: integer('bucket').notNull(),
  township: text('township').notNull(),
  sector: text('sector').notNull(),
  found: integer('found').notNull().default(0),
  rectified: integer('rectified').notNull().default(0),
  majorFound: integer('major_found').notNull().default(0),
  majorRectified: integer('major_rectified').notNull().default(0),
  inspections: integer('inspections').notNull().default(0),
  covert: integer('covert').notNull().default(0),
  documents: integer('documents').notNull().default(0),
  interviews: integer('interviews').notNull().default(0),
  detentions: integer('detentions').notNull().default(0),
  fineFen: integer('fine_fen').notNull().default(0),
  /** Found in the bucket and now dispatched: overdue = these − the ones whose deadline is still ahead. */
  dispatched: integer('dispatched').notNull().default(0),
  /** Hazards found by the bucket's covert visits (by the visit's day), and how many are rectified. */
  covertFound: integer('covert_found').notNull().default(0),
  covertRectified: integer('covert_rectified').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.grain, t.bucket, t.township, t.sector] })]);

/** One row per (job, slot): claiming the slot is inserting the row, so a slot runs once across instances. */
export const jobRuns = sqliteTable('job_runs', {
  job: text('job').notNull(),
  /** The scheduled instant this run stands for (UTC ms). */
  slot: integer('slot').notNull(),
  /** running | done | failed */
  status: text('status').notNull(),
  instance: text('instance'),
  attempts: integer('attempts').notNull().default(1),
  startedAt: integer('started_at').notNull(),
  finishedAt: integer('finished_at'),
  error: text('error'),
  /** What the run queued, for `npm run jobs` and audits. */
  queued: integer('queued').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.job, t.slot] }), index('job_runs_status').on(t.status)]);

/** Which chat is the leaders' group, the duty desk, or a township's group. */
export const chatBindings = sqliteTable('chat_bindings', {
  /** leaders | duty | township */
  kind: text('kind').notNull(),
  /** The township's name; '' for leaders and duty. */
  name: text('name').notNull().default(''),
  chatId: text('chat_id').notNull(),
  boundBy: text('bound_by'),
  boundAt: integer('bound_at').notNull(),
}, (t) => [primaryKey({ columns: [t.kind, t.name] })]);

/** One row per hazard, recipient and local day nagged: at most one nag a day each. */
export const nagLog = sqliteTable('nag_log', {
  hazardId: integer('hazard_id').notNull(),
  /** open_id, or `chat:<chat_id>` for the leaders' chat */
  recipient: text('recipient').notNull(),
  /** Local date YYYY-MM-DD */
  day: text('day').notNull(),
  level: integer('level').notNull(),
  at: integer('at').notNull(),
}, (t) => [primaryKey({ columns: [t.hazardId, t.recipient, t.day] }), index('nag_log_day').on(t.day)]);

/**
 * One row per nag digest queued (docs/adr/0024): who, in which run, and the hazards it names
 * ([[hazardId, level], ...] as JSON). It is the daily log (each hazard at most once a day per
 * recipient: a province's morning run is 38,000 of these instead of 623,000 nag_log rows) and what
 * the outbox sender renders the card from when it sends (the outbox row only names it).
 */
export const nagDigests = sqliteTable('nag_digests', {
  /** open_id, or `chat:<chat_id>` for the leaders' chat */
  recipient: text('recipient').notNull(),
  /** The overdue-nags run (its slot, ms). */
  slot: integer('slot').notNull(),
  /** Local date YYYY-MM-DD of the run */
  day: text('day').notNull(),
  /** The highest ladder level among the hazards. */
  level: integer('level').notNull(),
  /** JSON [[hazardId, level], ...], most urgent first. */
  hazards: text('hazards').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.recipient, t.slot] }), index('nag_digests_day_recipient').on(t.day, t.recipient)]);

/** 班次: one person on duty in one role for one period. */
export const shifts = sqliteTable('shifts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  start: integer('start').notNull(),
  end: integer('end').notNull(),
  /** leader 带班领导 | officer 值班员 */
  role: text('role').notNull(),
  personOpenId: text('person_open_id').notNull(),
  /** imported | generated | swapped */
  origin: text('origin').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [index('shifts_role_start').on(t.role, t.start), index('shifts_person_start').on(t.personOpenId, t.start), index('shifts_end').on(t.end)]);

/** Public holidays and make-up workdays (调休), by local date. */
export const holidays = sqliteTable('holidays', {
  date: text('date').primaryKey(),
  /** holiday | workday */
  kind: text('kind').notNull(),
  name: text('name').notNull(),
});

/** 重点时段 declared by admins (全国两会, 国庆 …), inclusive local dates. */
export const keyPeriods = sqliteTable('key_periods', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  startDate: text('start_date').notNull(),
  endDate: text('end_date').notNull(),
  name: text('name').notNull(),
  createdBy: text('created_by'),
  createdAt: integer('created_at').notNull(),
});

/** 换班: a request from one person to swap a shift with another's. */
export const swapRequests = sqliteTable('swap_requests', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  requesterOpenId: text('requester_open_id').notNull(),
  requesterShiftId: integer('requester_shift_id').notNull(),
  targetOpenId: text('target_open_id').notNull(),
  targetShiftId: integer('target_shift_id').notNull(),
  /** pending | accepted | declined | expired */
  status: text('status').notNull(),
  cardOutboxId: text('card_outbox_id'),
  expiresAt: integer('expires_at').notNull(),
  createdAt: integer('created_at').notNull(),
  decidedAt: integer('decided_at'),
}, (t) => [index('swap_requests_status').on(t.status, t.expiresAt)]);

/** 交接班: the outgoing officer's record and the incoming officer's sign-off. */
export const handovers = sqliteTable('handovers', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  fromShiftId: integer('from_shift_id').notNull(),
  fromOpenId: text('from_open_id').notNull(),
  toShiftId: integer('to_shift_id'),
  toOpenId: text('to_open_id'),
  notes: text('notes').notNull(),
  /** JSON: hazards reported, incidents open, messages failed during the shift. */
  summary: text('summary').notNull(),
  cardOutboxId: text('card_outbox_id'),
  createdAt: integer('created_at').notNull(),
  signedAt: integer('signed_at'),
  escalatedAt: integer('escalated_at'),
}, (t) => [uniqueIndex('handovers_from_shift').on(t.fromShiftId)]);

/** 应急队伍: a reserve rescue team. */
export const teams = sqliteTable('teams', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  /** flood | forest_fire | earthquake | hazardous_chemicals | mine_rescue | fire | medical | general */
  type: text('type').notNull(),
  leaderOpenId: text('leader_open_id'),
  members: integer('members').notNull().default(0),
  township: text('township'),
  /** JSON [{ name, count }] — 抢险设备 */
  equipment: text('equipment').notNull().default('[]'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [index('teams_type').on(t.type), index('teams_township').on(t.township)]);

/** 险情 / 突发事件, numbered XQ-YYYY-NNNN. */
export const incidents = sqliteTable('incidents', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  no: text('no').notNull().unique(),
  /** flood | forest_fire | earthquake | accident | fire | hazardous_chemicals | … */
  type: text('type').notNull(),
  location: text('location').notNull(),
  description: text('description').notNull(),
  /** general 一般 | larger 较大 | major 重大 | especially_major 特别重大 */
  severity: text('severity').notNull(),
  /** open | closed */
  status: text('status').notNull(),
  reporterOpenId: text('reporter_open_id'),
  sourceChatId: text('source_chat_id'),
  sourceMessageId: text('source_message_id'),
  /** JSON array of outbox ids of the incident cards (leaders' chat, duty chat, thread reply). */
  cardOutboxIds: text('card_outbox_ids').notNull().default('[]'),
  reportedAt: integer('reported_at').notNull(),
  closedAt: integer('closed_at'),
  closedBy: text('closed_by'),
  summary: text('summary'),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [index('incidents_status').on(t.status), index('incidents_reported_at').on(t.reportedAt)]);

/** A team sent to an incident, with each step of its response stamped. */
export const incidentDispatches = sqliteTable('incident_dispatches', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  incidentId: integer('incident_id').notNull(),
  teamId: integer('team_id').notNull(),
  leaderOpenId: text('leader_open_id'),
  dispatchedBy: text('dispatched_by'),
  dispatchedAt: integer('dispatched_at').notNull(),
  /** 接令 */
  ackedAt: integer('acked_at'),
  /** 出发 */
  departedAt: integer('departed_at'),
  /** 到达 */
  arrivedAt: integer('arrived_at'),
  /** 处置完毕 */
  doneAt: integer('done_at'),
  /** The team leader's card. */
  cardOutboxId: text('card_outbox_id'),
}, (t) => [uniqueIndex('incident_dispatches_unique').on(t.incidentId, t.teamId), index('incident_dispatches_open').on(t.ackedAt, t.dispatchedAt)]);

/**
 * 加急升级: one person's acknowledge-or-escalate ladder for one item (an incident, a dispatch, an
 * unsigned handover, a new major hazard). In-app buzz at once, SMS, phone, then the next group of
 * the chain. One row per (item, person): a person is laddered once per item, whoever starts it.
 */
export const escalations = sqliteTable('escalations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** `incident:XQ-2026-0001`, `dispatch:5`, `handover:12`, `hazard:YH-2026-0007` */
  item: text('item').notNull(),
  personOpenId: text('person_open_id').notNull(),
  /** JSON string[][]: the chain's groups of open_ids; this ladder belongs to group `level`. */
  chain: text('chain').notNull(),
  level: integer('level').notNull().default(0),
  /** The outbox row of the card this person was buzzed on; its 收到 button or a reply in its thread acknowledges. */
  cardOutboxId: text('card_outbox_id'),
  /** Quiet hours hold this ladder back (hazards that are not major); emergencies never wait. */
  quietHold: integer('quiet_hold', { mode: 'boolean' }).notNull().default(false),
  startedAt: integer('started_at').notNull(),
  /** sms | phone | next | done — the rung to take next, due at next_at. */
  nextRung: text('next_rung').notNull(),
  nextAt: integer('next_at').notNull(),
  ackedAt: integer('acked_at'),
  /** button | reply */
  ackedVia: text('acked_via'),
}, (t) => [uniqueIndex('escalations_item_person').on(t.item, t.personOpenId), index('escalations_due').on(t.nextRung, t.nextAt), index('escalations_card').on(t.cardOutboxId)]);

/** 信息报送: each report sent upward about an incident (首报, 续报一…, 终报) with its casualty figures. */
export const incidentReports = sqliteTable('incident_reports', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  incidentId: integer('incident_id').notNull(),
  /** first | followup | final */
  kind: text('kind').notNull(),
  /** 0 for 首报 and 终报; 1, 2, … for 续报一, 续报二 … */
  seq: integer('seq').notNull().default(0),
  at: integer('at').notNull(),
  /** When it was due; on time when at ≤ due_at. */
  dueAt: integer('due_at').notNull(),
  byOpenId: text('by_open_id'),
  note: text('note'),
  deaths: integer('deaths'),
  injured: integer('injured'),
  missing: integer('missing'),
  relocated: integer('relocated'),
}, (t) => [uniqueIndex('incident_reports_unique').on(t.incidentId, t.kind, t.seq), index('incident_reports_at').on(t.at)]);

/**
 * A plain message the bot understood and is waiting for its sender to confirm (登记 / 上报险情 /
 * 确认整改). Kept in the database so a confirmation card still works after a restart.
 */
export const pendingIntents = sqliteTable('pending_intents', {
  id: text('id').primaryKey(),
  /** hazard | incident | rectify */
  kind: text('kind').notNull(),
  openId: text('open_id').notNull(),
  chatId: text('chat_id').notNull(),
  chatType: text('chat_type').notNull(),
  /** The message it was understood from: the thread answers go to, and the key against filing twice. */
  messageId: text('message_id').notNull(),
  /** What was understood, as JSON (the fields the confirmation card shows). */
  payload: text('payload').notNull(),
  /** pending → done | cancelled */
  status: text('status').notNull().default('pending'),
  /** The record it became (YH-… / XQ-…). */
  result: text('result'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [index('pending_intents_message').on(t.messageId)]);

/**
 * Images people sent in a chat outside any hazard's thread, kept for a while so the ones sent just
 * before a plain-language report (the photo first, the sentence after) attach when it is confirmed.
 */
export const chatImages = sqliteTable('chat_images', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  chatId: text('chat_id').notNull(),
  openId: text('open_id').notNull(),
  messageId: text('message_id').notNull(),
  imageKey: text('image_key').notNull(),
  at: integer('at').notNull(),
}, (t) => [index('chat_images_sender').on(t.chatId, t.openId, t.at), index('chat_images_at').on(t.at)]);
