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
    expect(describedAs('梅河化工门站的泄漏报警器坏了两个，今天必须修好')).toBe('门站的泄漏报警器坏了两个');
  });

  it('keeps what is wrong when the fix verb belongs to it', () => {
    expect(describedAs('梅河化工仓库杂物未清理，三天内整改')).toBe('仓库杂物未清理');
    expect(describedAs('梅河化工要害部位监控损坏，请尽快处理')).toBe('要害部位监控损坏');
  });
});

describe('characters typed apart', () => {
  it('reads 梅 河 化 工 as the enterprise, and leaves it out of the description', () => {
    const u = understand('梅 河 化 工 罐区应急物资柜上锁 两天内整改', [], ctx as Parameters<typeof understand>[2]);
    expect(u).toMatchObject({ intent: 'hazard', enterprise: { kind: 'one', id: 1 }, description: '罐区应急物资柜上锁' });
  });
});

describe('duty questions', () => {
  const dutyWords = (text: string) => {
    const u = understand(text, [], ctx as Parameters<typeof understand>[2]);
    return u.intent === 'duty' ? u.words : `(read as ${u.intent})`;
  };
  it('a weekday inside 这周 is that day; an arrangement is the week; 当前 is now', () => {
    // 2026-12-02 is a Wednesday: 这周六 is the 5th.
    expect(dutyWords('这周六谁值班')).toEqual(['2026-12-05']);
    expect(dutyWords('值班安排表')).toEqual(['week']);
    expect(dutyWords('这周谁值班')).toEqual(['week']);
    expect(dutyWords('当前值班')).toEqual(['now']);
  });
});
