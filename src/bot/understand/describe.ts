// What is left of a hazard sentence once the enterprise, the deadline and the level are taken out
// is its description — minus the courtesy around it (麻烦尽快处理，谢谢) and the words that only
// ask for the fix (限期整改). And, when no registered enterprise is named, the name the sentence
// starts with (新丰五金厂仓库… → 新丰五金厂), for the report to record as unregistered.

const CHATTER = [
  /(?:麻烦|烦请|请|辛苦)?(?:大家|各位)?(?:尽快|抓紧|及时|赶紧|赶快|马上)(?:安排)?(?:处理|整改|落实|解决|跟进|安排)?(?:一下)?(?:吧|哈)?/g,
  /(?:谢谢|多谢|感谢)(?:大家|各位|您)?|辛苦(?:了|大家|各位)?/g,
  /收到请回复|收到回复|请知悉|请查收|请关注|各位好|大家好|你好|您好|在吗/g,
  /\b(?:hello|hi|thanks|thank you|pls|please|asap)\b/gi,
  /(?:整改)?(?:责任人|负责人)\s*[:]?/g,
];
const LEAD = /^(?:[\s,.!:;、]*)(?:报告|汇报|上报|反映|登记|隐患上报|新隐患|隐患)?\s*[:]?\s*(?:今天|刚才|刚刚|上午|下午)?\s*(?:现场)?(?:检查|巡查|排查|巡检|暗访)?(?:时)?(?:发现|看到|看见|注意到)?(?:了)?\s*[:]?/;
const ASK = /(?:请|要求|务必|必须|需要|需|应|限期|限|责令|立即|尽快)?\s*(?:整改完毕|整改到位|整改完成|完成整改|整改完|整改|处理完|处理|修复|修好|修理|维修|恢复|解决|落实)(?:到位|完毕|完成)?$/;
// A closing clause that tells someone to act (…，叫他们三天内清走 / …，要清理 / …，督促企业整改) is the
// inspector's instruction, not what is wrong; the deadline and assignee are read from it elsewhere.
const INSTRUCTION = /[,;]\s*(?:(?:叫|让|要|请|督促|要求|通知|责令|限)[^,;.!?]{0,14}|(?:立即|尽快|马上)?(?:清理|清走|清除|清运|移除|移走|拆除|更换)(?:干净|完毕|到位)?)$/;
const PUNCT = /^[\s,.!?;:、~()（）\-—]+|[\s,.!?;:、~()（）\-—]+$/g;

export function cleanDescription(rest: string): string {
  let s = rest;
  for (const re of CHATTER) s = s.replace(re, ' ');
  s = s.replace(LEAD, '');
  // Strip what asks for the fix from the end, a few times (…，限期整改。谢谢 → …).
  for (let i = 0; i < 3; i++) s = s.replace(PUNCT, '').replace(ASK, '');
  const instruction = INSTRUCTION.exec(s);
  if (instruction && instruction.index >= 4) s = s.slice(0, instruction.index);
  s = s
    .replace(/\s*([,.!?;:])\s*(?=[,.!?;:])/g, '')
    .replace(/\s{2,}/g, ' ')
    .replace(PUNCT, '');
  // Back to Chinese punctuation between Chinese words (NFKC made them ASCII).
  return s.replace(/(?<=[\u4e00-\u9fff])\s*,\s*|\s*,\s*(?=[\u4e00-\u9fff])/g, '，').replace(/(?<=[\u4e00-\u9fff])\s*;\s*/g, '；').trim();
}

const NAME_END = '(?:股份有限公司|有限责任公司|有限公司|公司|厂|加油站|加气站|煤矿|矿业|中心|商场|超市|酒店|宾馆|饭店|医院|学校|幼儿园|项目部|门市部|合作社|养殖场|物流园|仓储)';
const NAME = new RegExp(`([\\u4e00-\\u9fffA-Za-z0-9]{2,18}?${NAME_END})`);
const NOT_NAME_START = /^(?:报告|上报|检查|巡查|发现|今天|刚才|在|我|请|隐患|重大)+/;

/** The enterprise name a sentence opens with when it names none we know, or undefined. */
export function guessEnterpriseName(text: string): string | undefined {
  const head = text.replace(LEAD, '').slice(0, 40);
  const m = NAME.exec(head);
  if (!m || m.index > 6) return undefined;
  const name = m[1].replace(NOT_NAME_START, '');
  return name.length >= 3 ? name : undefined;
}
