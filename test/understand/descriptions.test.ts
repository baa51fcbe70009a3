// What the hazard card's 隐患描述 keeps of an inspector's sentence: what is wrong, in their words —
// not the enterprise, the deadline, or the instruction to fix it that closes the sentence.
import { describe, expect, it } from 'vitest';
import { EnterpriseIndex } from '../../src/bot/understand/enterprise-index.ts';
import { understand } from '../../src/bot/understand/understand.ts';

const index = new EnterpriseIndex([
  { id: 1, name: '梅河化工有限公司', township: '红梅镇', aliases: null },
  { id: 2, name: '宏远纺织厂', township: '山城镇', aliases: null },
]);
const ctx = { index, now: new Date('2026-12-02T01:00:00Z'), tz: 'Asia/Shanghai' };
const describedAs = (text: string) => {
  const u = understand(text, [], ctx as Parameters<typeof understand>[2]);
  return u.intent === 'hazard' ? u.description : `(read as ${u.intent})`;
};

describe('hazard descriptions from sentences', () => {
  it('leaves out a closing instruction to act, with its deadline', () => {
    expect(describedAs('梅河化工储罐区东侧消防通道被货车堵死了，叫他们三天内清走')).toBe('储罐区东侧消防通道被货车堵死了');
    expect(describedAs('梅河化工储罐区消防通道被货物堵住了，明天前要清理')).toBe('储罐区消防通道被货物堵住了');
    expect(describedAs('宏远纺织厂车间消防通道堆放布匹，三天内清理')).toBe('车间消防通道堆放布匹');
    expect(describedAs('梅河化工罐区围堰破损，督促企业限期整改')).toBe('罐区围堰破损');
  });

  it('keeps what is wrong when the fix verb belongs to it', () => {
    expect(describedAs('梅河化工仓库杂物未清理，三天内整改')).toBe('仓库杂物未清理');
    expect(describedAs('梅河化工要害部位监控损坏，请尽快处理')).toBe('要害部位监控损坏');
  });
});
