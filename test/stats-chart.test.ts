import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCanvas, GlobalFonts, loadImage } from '@napi-rs/canvas';
import { niceScale, registerFonts, renderStatsChart, REGULAR } from '../src/views/stats-chart.ts';

const BARS = [
  { label: '危化', found: 212, rectified: 150 },
  { label: '建筑施工', found: 160, rectified: 99 },
  { label: '消防', found: 98, rectified: 80 },
  { label: '城市燃气', found: 60, rectified: 22 },
  { label: '烟花爆竹', found: 40, rectified: 37 },
  { label: '特种设备', found: 22, rectified: 0 },
  { label: '道路交通', found: 12, rectified: 12 },
  { label: '矿山', found: 5, rectified: 1 },
  { label: '其他', found: 3, rectified: 0 },
];

/** Pixels as [r, g, b, a] keys with their counts. */
function colours(data: Uint8ClampedArray) {
  const counts = new Map<number, number>();
  for (let i = 0; i < data.length; i += 4) {
    const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe('the stats chart', () => {
  it('is a real PNG with bars in both colours, a white background and text', async () => {
    const png = renderStatsChart({ title: '2026年11月 隐患发现与整改（按行业）', subtitle: '全部乡镇 · 2026年11月', bars: BARS });
    const out = join(tmpdir(), 'watchkeeper-stats-chart.png');
    writeFileSync(out, png); // look at it: the labels must be Chinese glyphs, not boxes
    expect(png.length).toBeGreaterThan(30_000);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    const img = await loadImage(png);
    expect([img.width, img.height]).toEqual([1200, 675]);
    const c = createCanvas(img.width, img.height);
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const counts = colours(g.getImageData(0, 0, img.width, img.height).data);
    expect(counts.size).toBeGreaterThan(50); // anti-aliased text, not a flat fill
    const total = img.width * img.height;
    expect(counts.get(0xffffff)! / total).toBeGreaterThan(0.5);
    expect(counts.get(0x3370ff) ?? 0).toBeGreaterThan(5_000); // found
    expect(counts.get(0x34c724) ?? 0).toBeGreaterThan(5_000); // rectified

    // The tallest bar is 危化's: the first column of the plot has the most blue.
    const blueIn = (x0: number, x1: number) => {
      const d = g.getImageData(x0, 0, x1 - x0, img.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] === 0x33 && d[i + 1] === 0x70 && d[i + 2] === 0xff) n++;
      return n;
    };
    const slot = (1160 - 90) / BARS.length;
    expect(blueIn(90, 90 + slot)).toBeGreaterThan(blueIn(90 + slot, 90 + 2 * slot));
  });

  it('draws Chinese with a CJK font: different characters give different glyphs, not the same box', () => {
    registerFonts();
    expect(GlobalFonts.families.some((f) => f.family === REGULAR)).toBe(true);
    const glyph = (ch: string) => {
      const c = createCanvas(64, 64);
      const g = c.getContext('2d');
      g.fillStyle = '#fff';
      g.fillRect(0, 0, 64, 64);
      g.fillStyle = '#000';
      g.font = `48px ${REGULAR}`;
      g.textBaseline = 'top';
      g.fillText(ch, 8, 4);
      const d = g.getImageData(0, 0, 64, 64).data;
      const ink: number[] = [];
      for (let i = 0; i < d.length; i += 4) ink.push(d[i] < 128 ? 1 : 0);
      return ink;
    };
    const [a, b, tofu1, tofu2] = ['危', '化', '\u{F0000}', '\u{F0001}'].map(glyph);
    const inked = (x: number[]) => x.reduce((s, v) => s + v, 0);
    expect(inked(a)).toBeGreaterThan(100);
    expect(inked(b)).toBeGreaterThan(100);
    expect(a.join('')).not.toBe(b.join(''));
    // Characters the font lacks all look alike (or blank): that is what the check above rules out.
    expect(tofu1.join('')).toBe(tofu2.join(''));
  });

  it('shows at most 12 groups and says how many were left out', async () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ label: `第${i + 1}乡镇`, found: 100 - i, rectified: 50 }));
    const png = renderStatsChart({ title: '按乡镇', bars: many });
    const img = await loadImage(png);
    expect(img.width).toBe(1200);
  });

  it('picks 1-2-5 steps with room above the tallest bar', () => {
    expect(niceScale(212)).toEqual({ step: 50, ceiling: 250 });
    expect(niceScale(100)).toEqual({ step: 20, ceiling: 120 });
    expect(niceScale(3)).toEqual({ step: 1, ceiling: 4 });
  });
});
