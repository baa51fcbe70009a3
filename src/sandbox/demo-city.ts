import type { Bi } from '../bi.ts';
// The sandbox's demo city (梅河县, fictional): people in every role, enterprises in every sector
// across four townships, rescue teams, the chats the bot posts to, and a month of history.
// Names, numbers and companies are made up.

export const TOWNSHIPS = ['红梅镇', '山城镇', '青石街道', '柳溪乡'] as const;

/** name, open_id, mobile, roles, department, township — the people import's columns. */
export const DEMO_PEOPLE = [
  { openId: 'ou_demo_zhangwei', name: '张伟', roles: 'admin|leader', department: '应急管理局', township: null, mobile: '13900000001' },
  { openId: 'ou_demo_chenjing', name: '陈静', roles: 'leader', department: '应急管理局', township: null, mobile: '13900000002' },
  { openId: 'ou_demo_huangtao', name: '黄涛', roles: 'leader', department: '应急管理局', township: null, mobile: '13900000009' },
  { openId: 'ou_demo_lina', name: '李娜', roles: 'inspector', department: '安监执法大队', township: '红梅镇', mobile: '13900000003' },
  { openId: 'ou_demo_zhaolei', name: '赵磊', roles: 'inspector', department: '安监执法大队', township: '山城镇', mobile: '13900000004' },
  { openId: 'ou_demo_machao', name: '马超', roles: 'inspector', department: '安监执法大队', township: '青石街道', mobile: '13900000010' },
  { openId: 'ou_demo_wangqiang', name: '王强', roles: 'officer', department: '应急指挥中心', township: null, mobile: '13900000005' },
  { openId: 'ou_demo_sunli', name: '孙丽', roles: 'officer', department: '应急指挥中心', township: null, mobile: '13900000006' },
  { openId: 'ou_demo_luojun', name: '罗军', roles: 'officer', department: '应急指挥中心', township: null, mobile: '13900000011' },
  { openId: 'ou_demo_liuyang', name: '刘洋', roles: 'contact', department: '梅河化工有限公司', township: '红梅镇', mobile: '13900000007' },
  { openId: 'ou_demo_zhoumin', name: '周敏', roles: 'contact', department: '山城建筑工程公司', township: '山城镇', mobile: '13900000008' },
  { openId: 'ou_demo_wugang', name: '吴刚', roles: 'contact', department: '青石煤矿', township: '柳溪乡', mobile: '13900000012' },
  { openId: 'ou_demo_zhengjie', name: '郑洁', roles: 'contact', department: '红星烟花爆竹有限公司', township: '红梅镇', mobile: '13900000013' },
  { openId: 'ou_demo_fengjun', name: '冯军', roles: 'contact', department: '城东燃气有限公司', township: '青石街道', mobile: '13900000014' },
  { openId: 'ou_demo_hefang', name: '何芳', roles: 'contact', department: '宏达道路运输公司', township: '山城镇', mobile: '13900000015' },
  { openId: 'ou_demo_xuming', name: '许明', roles: 'contact', department: '安顺电梯维保公司', township: '青石街道', mobile: '13900000016' },
  { openId: 'ou_demo_linjuan', name: '林娟', roles: 'contact', department: '金街购物中心', township: '青石街道', mobile: '13900000017' },
  { openId: 'ou_demo_gaofeng', name: '高峰', roles: 'contact', department: '柳溪纸箱厂', township: '柳溪乡', mobile: '13900000018' },
  { openId: 'ou_demo_denghui', name: '邓辉', roles: '', department: '县防汛抢险队', township: '红梅镇', mobile: '13900000019' },
  { openId: 'ou_demo_pengliang', name: '彭亮', roles: '', department: '县森林消防队', township: '柳溪乡', mobile: '13900000020' },
  { openId: 'ou_demo_jiangyong', name: '蒋勇', roles: '', department: '矿山救护队', township: '柳溪乡', mobile: '13900000021' },
] as const;

export type DemoPerson = (typeof DEMO_PEOPLE)[number];

/** name, sector, township, address, supervisor (包保领导), contact — the enterprises import's columns. */
export const DEMO_ENTERPRISES = [
  ['梅河化工有限公司', 'hazardous_chemicals', '红梅镇', '红梅镇化工园区1号', '陈静', '刘洋'],
  ['红梅加油站', 'hazardous_chemicals', '红梅镇', '红梅镇红梅大道88号', '陈静', ''],
  ['红星烟花爆竹有限公司', 'fireworks', '红梅镇', '红梅镇星火村', '黄涛', '郑洁'],
  ['山城建筑工程公司', 'construction', '山城镇', '山城镇建设路12号', '黄涛', '周敏'],
  ['山城建材厂', 'other', '山城镇', '山城镇工业街3号', '', ''],
  ['宏达道路运输公司', 'road_traffic', '山城镇', '山城镇车站路5号', '张伟', '何芳'],
  ['青石煤矿', 'mining', '柳溪乡', '柳溪乡青石村', '张伟', '吴刚'],
  ['城东燃气有限公司', 'city_gas', '青石街道', '青石街道东环路66号', '陈静', '冯军'],
  ['安顺电梯维保公司', 'special_equipment', '青石街道', '青石街道安顺路9号', '黄涛', '许明'],
  ['金街购物中心', 'fire_safety', '青石街道', '青石街道金街1号', '陈静', '林娟'],
  ['柳溪纸箱厂', 'other', '柳溪乡', '柳溪乡柳溪村2组', '张伟', '高峰'],
] as const;

/** Other names people use for some of them (the enterprises import's optional aliases column). */
export const DEMO_ALIASES: Record<string, string> = {
  宏达道路运输公司: '宏达运输',
  金街购物中心: '金街商场',
  红星烟花爆竹有限公司: '红星花炮',
};

/** name, type, leader, members, township, equipment — the teams import's columns. */
export const DEMO_TEAMS = [
  ['县防汛抢险队', 'flood', '邓辉', '40', '红梅镇', '抽水泵:12|冲锋舟:3|救生衣:80|沙袋:2000'],
  ['县森林消防队', 'forest_fire', '彭亮', '35', '柳溪乡', '风力灭火机:20|水泵:6|灭火水枪:30'],
  ['矿山救护队', 'mine_rescue', '蒋勇', '24', '柳溪乡', '正压氧气呼吸器:24|气体检测仪:10|生命探测仪:2'],
  ['红梅镇危化应急救援队', 'hazardous_chemicals', '刘洋', '18', '红梅镇', '防化服:20|堵漏工具:4|泡沫车:1'],
  ['青石街道综合应急队', 'general', '马超', '30', '青石街道', '发电机:3|应急照明:15|破拆工具:5'],
] as const;

export interface DemoChat {
  chatId: string;
  name: Bi;
  binding: { kind: 'leaders' | 'duty' | 'township'; name: string };
  /** The bot's first message in the group: what the group is for and what to try. */
  welcome: string;
}

/** The groups the bot is in; each is bound, so scheduled jobs post there. */
export const DEMO_CHATS: DemoChat[] = [
  {
    chatId: 'oc_sandbox_leaders',
    name: { zh: '县安委会领导群', en: "Leaders' group" },
    binding: { kind: 'leaders', name: '' },
    welcome: [
      '【沙盒演示】本群是县安委会领导群：每天 08:30 的安全简报、逾期 7 天以上隐患的督办、险情通报都发到这里。试试：/stats、/hazards overdue、/duty、/incidents。',
      "[Sandbox demo] The leaders' group: the 08:30 brief, hazards overdue for a week and incident alerts land here. Try /stats, /hazards overdue, /duty, /incidents.",
    ].join('\n'),
  },
  {
    chatId: 'oc_sandbox_duty',
    name: { zh: '应急值班群', en: 'Duty desk' },
    binding: { kind: 'duty', name: '' },
    welcome: [
      '【沙盒演示】本群是应急值班群：接班通报、险情卡片和调度跟进发到这里。试试：/duty、/teams、/incident 防汛 红梅镇河堤 出现管涌。',
      '[Sandbox demo] The duty desk: who is on duty, incident cards and dispatch follow-ups land here. Try /duty, /teams, /incident 防汛 红梅镇河堤 出现管涌.',
    ].join('\n'),
  },
  {
    chatId: 'oc_sandbox_hongmei',
    name: { zh: '红梅镇安全生产群', en: 'Hongmei township' },
    binding: { kind: 'township', name: '红梅镇' },
    welcome: [
      '【沙盒演示】红梅镇安全生产群。检查员在这里上报隐患：发送 /report 打开上报表单，或 /report 梅河化工有限公司 消防通道堵塞 期限:3天 @刘洋；企业联系人回复隐患卡片发送照片，再点「整改完成」。',
      "[Sandbox demo] Hongmei township's group. Inspectors report hazards here: /report opens the form, or /report 梅河化工有限公司 消防通道堵塞 期限:3天 @刘洋; the enterprise contact replies to the hazard card with a photo, then presses 整改完成 (Rectified).",
    ].join('\n'),
  },
];

/** Who is on the roster, in turn order; 24-hour shifts handed over at 08:30. */
export const DEMO_ROSTER = { leaders: ['张伟', '陈静', '黄涛'], officers: ['王强', '孙丽', '罗军'], handover: 8 * 60 + 30 } as const;

/**
 * A month of hazards, oldest first, each walked through the real verbs at its own time (days
 * before the sandbox starts). Together they cover every status, one due soon and one overdue.
 */
export interface DemoHazard {
  enterprise: string;
  level: 'general' | 'major';
  description: string;
  reporter: string;
  reportedDaysAgo: number;
  dispatch?: { by: string; to: string; daysAgo: number; deadlineDaysAfter?: number };
  rectify?: { by: string; daysAgo: number };
  verify?: { by: string; daysAgo: number };
}

export const DEMO_HAZARDS: DemoHazard[] = [
  {
    enterprise: '梅河化工有限公司', level: 'general', description: '储罐区防火堤局部破损，雨水排放阀未保持常闭', reporter: '李娜', reportedDaysAgo: 25,
    dispatch: { by: '李娜', to: '刘洋', daysAgo: 25 }, rectify: { by: '刘洋', daysAgo: 20 }, verify: { by: '陈静', daysAgo: 19 },
  },
  {
    enterprise: '金街购物中心', level: 'general', description: '三楼疏散指示标志损坏 3 处，安全出口被货架遮挡', reporter: '马超', reportedDaysAgo: 20,
    dispatch: { by: '马超', to: '林娟', daysAgo: 20 }, rectify: { by: '林娟', daysAgo: 15 }, verify: { by: '马超', daysAgo: 14 },
  },
  {
    enterprise: '城东燃气有限公司', level: 'major', description: '东环路调压站可燃气体报警器失效，未接入监控平台', reporter: '马超', reportedDaysAgo: 12,
    dispatch: { by: '陈静', to: '冯军', daysAgo: 12, deadlineDaysAfter: 3 },
  },
  {
    enterprise: '安顺电梯维保公司', level: 'general', description: '维保记录缺少限速器校验项目', reporter: '马超', reportedDaysAgo: 10,
    dispatch: { by: '马超', to: '许明', daysAgo: 10 }, rectify: { by: '许明', daysAgo: 2 },
  },
  {
    enterprise: '宏达道路运输公司', level: 'general', description: '两辆危货运输车卫星定位装置离线', reporter: '赵磊', reportedDaysAgo: 6,
    dispatch: { by: '赵磊', to: '何芳', daysAgo: 6 },
  },
  {
    enterprise: '柳溪纸箱厂', level: 'general', description: '成型车间消防通道堆放纸板，灭火器过期', reporter: '赵磊', reportedDaysAgo: 5,
    dispatch: { by: '张伟', to: '高峰', daysAgo: 5 }, rectify: { by: '高峰', daysAgo: 1 },
  },
  {
    enterprise: '山城建筑工程公司', level: 'general', description: '3 号楼外脚手架连墙件缺失，安全网破损', reporter: '赵磊', reportedDaysAgo: 3,
    dispatch: { by: '赵磊', to: '周敏', daysAgo: 3 },
  },
  { enterprise: '青石煤矿', level: 'major', description: '井下局部通风机无专人管理，瓦斯检查记录缺失', reporter: '马超', reportedDaysAgo: 1 },
  { enterprise: '红星烟花爆竹有限公司', level: 'general', description: '成品仓库内引火线未分类隔离存放', reporter: '李娜', reportedDaysAgo: 0.2 },
];

/** Past visits (户次): enterprise, days ago, inspector, covert. */
export const DEMO_INSPECTIONS: [string, number, string, boolean][] = [
  ['梅河化工有限公司', 25, '李娜', false],
  ['红梅加油站', 22, '李娜', true],
  ['金街购物中心', 20, '马超', false],
  ['青石煤矿', 18, '赵磊', false],
  ['红星烟花爆竹有限公司', 16, '李娜', true],
  ['山城建材厂', 14, '赵磊', false],
  ['城东燃气有限公司', 12, '马超', false],
  ['安顺电梯维保公司', 10, '马超', false],
  ['梅河化工有限公司', 8, '李娜', true],
  ['宏达道路运输公司', 6, '赵磊', false],
  ['柳溪纸箱厂', 5, '赵磊', false],
  ['山城建筑工程公司', 3, '赵磊', false],
  ['青石煤矿', 1, '马超', true],
  ['红星烟花爆竹有限公司', 0.2, '李娜', false],
];

/** Past enforcement: enterprise, days ago, kind, amount (元), people, note. */
export const DEMO_ENFORCEMENT: [string, number, string, string, string, string][] = [
  ['梅河化工有限公司', 24, 'document', '', '', '责令限期整改指令书'],
  ['红梅加油站', 21, 'fine', '20000', '', '卸油作业未按规定静电接地'],
  ['青石煤矿', 17, 'suspend', '', '', '通风系统不可靠，停产整顿'],
  ['青石煤矿', 17, 'interview', '', '2', '约谈矿长、安全副矿长'],
  ['红星烟花爆竹有限公司', 15, 'seal', '', '', '查封超量储存的中转库房'],
  ['城东燃气有限公司', 11, 'fine', '50000', '', '报警装置失效未及时维修'],
  ['山城建材厂', 9, 'document', '', '', '现场处理措施决定书'],
];
