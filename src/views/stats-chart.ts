// The stats card's bar chart — hazards found vs rectified per sector or township — drawn on the
// server with Skia (@napi-rs/canvas) into a PNG. Chinese labels need a CJK font the renderer can
// use whatever the host has installed, so Noto Sans SC ships as a dependency and is registered
// once, on first use, under our own family names.

import { createRequire } from 'node:module';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { rectificationRate } from '../domain/stats-format.ts';

/** The families charts draw with (Noto Sans SC, registered on first use). */
export const REGULAR = 'WKSans';
export const BOLD = 'WKSansBold';
let fontsReady = false;

export function registerFonts() {
  if (fontsReady) return;
  const require = createRequire(import.meta.url);
  const regular = GlobalFonts.registerFromPath(require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'), REGULAR);
  const bold = GlobalFonts.registerFromPath(require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'), BOLD);
  if (!regular || !bold) throw new Error('could not register the Noto Sans SC fonts for charts');
  fontsReady = true;
}

export interface ChartBar {
  label: string;
  found: number;
  rectified: number;
}

export interface ChartInput {
  title: string;
  subtitle?: string;
  /** Most important first; only the first `max` are drawn. */
  bars: ChartBar[];
  max?: number;
}

export const CHART_MAX_BARS = 12;
const W = 1200;
const H = 675;
const FOUND = '#3370FF';
const RECTIFIED = '#34C724';
const INK = '#1F2329';
const MUTED = '#646A73';
const GRID = '#E4E6EB';

/** Renders the chart; PNG bytes. */
export function renderStatsChart(input: ChartInput): Uint8Array {
  registerFonts();
  const max = input.max ?? CHART_MAX_BARS;
  const bars = input.bars.slice(0, max);
  const canvas = createCanvas(W, H);
  const g = canvas.getContext('2d');
  g.fillStyle = '#FFFFFF';
  g.fillRect(0, 0, W, H);

  g.fillStyle = INK;
  g.textBaseline = 'alphabetic';
  g.font = `30px ${BOLD}`;
  g.fillText(input.title, 40, 56);
  const hidden = input.bars.length - bars.length;
  const subtitle = [input.subtitle, hidden > 0 ? `仅显示隐患最多的前${bars.length}项（另有${hidden}项）` : undefined].filter(Boolean).join('　');
  if (subtitle) {
    g.font = `18px ${REGULAR}`;
    g.fillStyle = MUTED;
    g.fillText(subtitle, 40, 88);
  }
  legend(g);

  const plot = { left: 90, right: W - 40, top: 130, bottom: H - 110 };
  const top = Math.max(1, ...bars.map((b) => Math.max(b.found, b.rectified)));
  const { step, ceiling } = niceScale(top);
  g.font = `16px ${REGULAR}`;
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (let v = 0; v <= ceiling; v += step) {
    const y = yOf(v, ceiling, plot);
    g.strokeStyle = v === 0 ? MUTED : GRID;
    g.lineWidth = v === 0 ? 2 : 1;
    g.beginPath();
    g.moveTo(plot.left, y);
    g.lineTo(plot.right, y);
    g.stroke();
    g.fillStyle = MUTED;
    g.fillText(String(v), plot.left - 12, y);
  }
  g.save();
  g.translate(28, (plot.top + plot.bottom) / 2);
  g.rotate(-Math.PI / 2);
  g.textAlign = 'center';
  g.fillText('隐患数（条）', 0, 0);
  g.restore();

  if (bars.length === 0) {
    g.textAlign = 'center';
    g.font = `24px ${REGULAR}`;
    g.fillStyle = MUTED;
    g.fillText('本期无隐患记录', (plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2);
    return canvas.toBuffer('image/png');
  }

  const slot = (plot.right - plot.left) / bars.length;
  const barW = Math.min(56, slot * 0.34);
  bars.forEach((b, i) => {
    const cx = plot.left + slot * (i + 0.5);
    bar(g, cx - barW - 2, barW, b.found, ceiling, plot, FOUND);
    bar(g, cx + 2, barW, b.rectified, ceiling, plot, RECTIFIED);
    g.textAlign = 'center';
    g.textBaseline = 'top';
    g.fillStyle = INK;
    g.font = `17px ${REGULAR}`;
    const lines = wrap(g, b.label, slot - 8);
    lines.forEach((line, j) => g.fillText(line, cx, plot.bottom + 10 + j * 22));
    g.fillStyle = MUTED;
    g.font = `14px ${REGULAR}`;
    g.fillText(b.found ? `整改率 ${rectificationRate(b.rectified, b.found)}` : '—', cx, plot.bottom + 14 + lines.length * 22);
  });
  return canvas.toBuffer('image/png');
}

function legend(g: SKRSContext2D) {
  g.font = `18px ${REGULAR}`;
  g.textBaseline = 'middle';
  g.textAlign = 'left';
  let x = W - 330;
  for (const [color, text] of [[FOUND, '发现隐患'], [RECTIFIED, '已整改']] as const) {
    g.fillStyle = color;
    g.fillRect(x, 46, 20, 20);
    g.fillStyle = INK;
    g.fillText(text, x + 28, 56);
    x += 150;
  }
}

function bar(g: SKRSContext2D, x: number, w: number, v: number, ceiling: number, plot: Plot, color: string) {
  const y = yOf(v, ceiling, plot);
  g.fillStyle = color;
  g.fillRect(x, y, w, plot.bottom - y);
  g.fillStyle = INK;
  g.font = `14px ${REGULAR}`;
  g.textAlign = 'center';
  g.textBaseline = 'bottom';
  g.fillText(String(v), x + w / 2, y - 4);
}

interface Plot {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const yOf = (v: number, ceiling: number, p: Plot) => p.bottom - (v / ceiling) * (p.bottom - p.top);

/** A 1-2-5 step giving about five gridlines, and the first multiple of it above `max`. */
export function niceScale(max: number): { step: number; ceiling: number } {
  const rough = max / 5;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= rough) ?? 10 * mag);
  // Headroom above the tallest bar for its value label.
  return { step, ceiling: Math.floor(max / step) * step + step };
}

/** The label on at most two lines, the second shortened with … if it still does not fit. */
function wrap(g: SKRSContext2D, text: string, width: number): string[] {
  const chars = [...text];
  if (g.measureText(text).width <= width) return [text];
  let n = chars.length;
  while (n > 1 && g.measureText(chars.slice(0, n).join('')).width > width) n--;
  const rest = chars.slice(n);
  if (g.measureText(rest.join('')).width <= width) return [chars.slice(0, n).join(''), rest.join('')];
  while (rest.length > 1 && g.measureText(`${rest.join('')}…`).width > width) rest.pop();
  return [chars.slice(0, n).join(''), `${rest.join('')}…`];
}
