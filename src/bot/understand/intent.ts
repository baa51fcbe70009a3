// Which of the six things a plain message asks for. Evidence is counted, not guessed: a hazard
// report describes something wrong to be put right (整改, a deadline, 违规/堵塞/损坏 …), an
// emergency says something is happening now (起火, 泄漏, 管涌, 发生 …); questions about duty,
// statistics and one's own work are recognised by their words. A tie between a hazard and an
// emergency goes to the emergency: being asked to confirm a 险情 costs less than missing one.

import { emergencyScore } from './incident.ts';

export type Intent = 'hazard' | 'incident' | 'duty' | 'stats' | 'mine' | 'list' | 'handover' | 'incidents' | 'done' | 'show' | 'unknown';

export const HAZARD_NO = /YH\s*[-_]?\s*(\d{4})\s*[-_]?\s*(\d{1,6})/i;

// 已… and …好了 of the fix itself (更换、清理、拆除、安装、接入 …): the fixer telling it is done.
const DONE = /已整改|整改完成|整改完毕|整改好了|整改到位|已完成|完成整改|已处理|处理完|处理好了|已修复|修好了|改好了|搞定|已落实|已经整改|已(?:经)?(?:更换|换上|清理|清走|清除|拆除|安装|装上|接入|补齐|配齐|恢复|疏通|整治|设置|张贴|加装|修好)|(?:更换|换|清理|拆|安装|装|接|补|配|疏通|弄)好了|done|fixed|rectified/i;
const MINE = /我的(隐患|任务|待办|工作|单子|整改)|我(还|现在)?有(哪些|几个|多少|什么|几条)|我负责的|派给我|分给我|交给我|我名下|我手上|轮到我|my (hazards|tasks|work)/i;
/**
 * A duty officer's handover written as a message (交班：夜间无异常，山火已扑灭): what follows is the
 * notes for /handover — whatever they mention (a fire put out) happened on the shift, not now.
 */
export const HANDOVER = /^\s*(?:我要|现在|准备)?(?:交班|交接班|交班记录|交班情况)\s*(?:[:：,，]\s*|$)/;

/**
 * A question for a list of hazards (逾期的隐患有哪些, 还有哪些没整改, 督办隐患清单): what /hazards
 * lists, by the filter word it takes. Asked about one enterprise it stays a report or a question for it.
 */
const LIST_ASK = /有哪些|哪些|列出|列一下|列表|清单|名单|明细|看看|看一下|查一下|查查|还有|都有|是哪|多少条|几条|\?|？/;
const LIST_FILTERS: [RegExp, 'overdue' | 'open' | 'supervised'][] = [
  [/逾期|超期|过期未(整改|完成)|超时|到期未(整改|完成)|overdue/i, 'overdue'],
  [/挂牌督办|督办/, 'supervised'],
  [/未整改|没整改|没有整改|未完成整改|未销号|没销号|在办|整改中|未关闭|open hazards/i, 'open'],
];
export function listFilter(text: string): 'overdue' | 'open' | 'supervised' | undefined {
  if (!LIST_ASK.test(text) || !/隐患|整改|督办|销号|hazards/i.test(text)) return undefined;
  for (const [re, f] of LIST_FILTERS) if (re.test(text)) return f;
  return undefined;
}

/**
 * Equipment named by what it guards against (泄漏报警器, 可燃气体探测器, 火灾报警控制器, 灭火器): its
 * name is no emergency — "泄漏报警器坏了" is a hazard to put right, not a leak.
 */
const EQUIPMENT = /(?:(?:可燃气体|有毒气体|燃气|气体|泄漏|泄露|火灾|烟雾|感烟|感温|消防)?(?:报警器|报警装置|报警系统|报警控制器|报警仪|探测器|检测仪|检测器|传感器|喷淋|栓)|灭火器|消火栓|防爆(?:灯|电器|开关)?|燃气表|燃气管道?(?=.{0,6}(?:老化|锈蚀|未|没有|缺|不)))(?!.{0,3}(?:响|鸣|报警|动作|显示))/g;

/** An emergency said to be over (山火已扑灭, 险情已排除): news of one under way, not a new one. */
const OVER = /已(?:经)?(?:被)?(?:扑灭|控制住?|处置完毕|处置完|排除|解除|结束|撤离完毕|得到控制)|扑灭了|灭了|处置结束/;
const STILL = /正在|仍在|还在|蔓延|请求支援|求援|复燃/;

const DUTY = /值班|带班|值守|值宿|on duty|duty/i;
const DUTY_ASK = /谁|哪位|哪个|是谁|表|安排|电话|名单|几号|吗|\?|呢|查|看|情况|who|[今明后]天|周[一二三四五六日天]|星期|本周|下周|月\d|\d月|现在|当前|目前|此刻|今晚|明晚/i;
const STATS = /统计|数据|报表|汇总|整改率|多少|情况|总数|一共|共有|stats|statistics|figures/i;
const STATS_PERIOD = /今天|今日|昨天|本周|这周|上周|本月|这个?月|上个?月|今年|本年|去年|全年|年度|\d+月|[一二三四五六七八九十]+月|按|各(乡镇|行业|企业|街道)|分(乡镇|行业|企业)|this (week|month|year)|last (week|month)/i;
const HAZARD_WORDS = /隐患|整改|期限|坏了|坏掉|故障|失灵|不亮|不能用|修好|维修|违规|违章|未按|未设|未配|未开展|未落实|没有|无证|缺少|缺失|不足|损坏|破损|失效|堵塞|堵住|占用|被占|过期|私拉|乱接|乱拉|乱堆|乱放|超量|超员|超载|混放|混存|堆放|堆积|存放|老化|不规范|不到位|不全|不完善|不齐|不清|无人|缺|无(?:证|照|防护|消防|标识|灭火|警示|监控|应急|专人|审批|资质|盖板|通风)|松动|锈蚀|脱落|裸露|渗漏|风险|不合格|未经|擅自|违法|关闭|锁闭|上锁|遮挡|hazard|blocked|broken|expired/i;
const INCIDENT_ONLY = /险情|突发|正在|火势|蔓延|被困|求援|请求支援|已疏散|面积约/;

export interface IntentEvidence {
  /** 0 none, 1 a bare day that might be a deadline, 2 a deadline said as one (内, 前, 立即). */
  deadline: number;
  enterprise: boolean;
  mention: boolean;
  level: boolean;
  enterpriseSpan?: { start: number; end: number };
}

export function hazardScore(text: string, e: IntentEvidence): number {
  let n = 0;
  for (const m of text.matchAll(new RegExp(HAZARD_WORDS.source, 'gi'))) if (m) n++;
  n += e.deadline;
  if (e.enterprise) n += 1;
  if (e.mention) n += 1;
  if (e.level) n += 1;
  return n;
}

export function classify(text: string, e: IntentEvidence): Intent {
  if (HANDOVER.test(text)) return 'handover';
  const no = HAZARD_NO.test(text);
  if (no && DONE.test(text)) return 'done';
  if (no && text.replace(HAZARD_NO, '').replace(/查看|详情|看看|情况|进度|[?？!！,，。.\s]/g, '').length <= 4) return 'show';
  if (MINE.test(text)) return 'mine';
  if (e.deadline < 2 && !e.mention && listFilter(text)) return 'list';
  const hs = hazardScore(text, e);
  // A duty question names a day, which is no deadline here.
  if (DUTY.test(text) && DUTY_ASK.test(text) && hazardScore(text, { ...e, deadline: 0 }) <= 1) return 'duty';
  if ((/统计|stats|statistics/i.test(text) || (STATS.test(text) && STATS_PERIOD.test(text))) && e.deadline < 2 && !e.mention) return 'stats';
  // The enterprise's own name says nothing about what happened (城东燃气 is no gas leak).
  const named = e.enterpriseSpan ? text.slice(0, e.enterpriseSpan.start) + ' ' + text.slice(e.enterpriseSpan.end) : text;
  const about = named.replace(EQUIPMENT, ' ');
  const es = emergencyScore(about) + (INCIDENT_ONLY.test(about) ? 1 : 0);
  if (es > 0 && OVER.test(about) && !STILL.test(about)) return 'incidents';
  if (es > 0 && es >= hs && e.deadline < 2) return 'incident';
  // A hazard report names an enterprise or says what is wrong; a day alone (明天开会) is neither.
  if (hs > 0 && (e.enterprise || HAZARD_WORDS.test(text))) return 'hazard';
  if (no) return 'show';
  return 'unknown';
}

/** For an answer that understood nothing: the commands the words point at, likeliest first. */
export function likelyCommands(text: string): string[] {
  const out: string[] = [];
  const add = (c: string) => out.includes(c) || out.push(c);
  if (HAZARD_WORDS.test(text) || /企业|公司|厂/.test(text)) add('report');
  if (DUTY.test(text) || /班/.test(text)) add('duty');
  if (STATS.test(text)) add('stats');
  if (emergencyScore(text) > 0) add('incident');
  if (/隐患|我的/.test(text)) add('hazards');
  for (const c of ['report', 'duty', 'stats']) add(c);
  return out.slice(0, 3);
}
