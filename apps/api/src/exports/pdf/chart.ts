import type { ConvergencePoint, Milestone } from '@parley/contracts';
import { convergenceSpan, DAY_MS } from '@parley/domain';
import type { ReportData } from '../report-data';
import { formatDay, formatDayShort, formatEffective, parseIso, POSITION_SWATCH } from '../report-format';
import { BOLD, INK, MUTED, RULE, type Writer } from './pdf-kit';
import { safe } from './safe-text';

/** The convergence chart: agreed, blocked and addressed points over time, with the milestones. */

/** A "nice" tick step (1, 2 or 5 times a power of ten) giving about `target` ticks over `range`. */
export function niceStep(range: number, target: number): number {
  if (range <= 0) return 1;
  const raw = range / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
  return Math.max(1, step * mag);
}

const DAY_STEPS = [1, 2, 7, 14, 30, 61, 91, 182, 365, 730];

export function drawChart(w: Writer, data: ReportData): void {
  const { doc } = w;
  w.section('Convergence over time', 'landscape');
  const all: ConvergencePoint[] = data.series
    .map((p) => ({ ...p, t: parseIso(p.date)?.getTime() ?? Number.NaN }))
    .filter((p) => Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t);
  if (all.length === 0) {
    w.para('No stances recorded yet: nothing to chart.', w.left, w.width, { size: 10, color: MUTED });
    return;
  }
  w.para(
    `Points agreed (every party with a stated position at least conditional) and blocked (some party holds a red line), per ${data.seriesStep}. Numbered ticks mark milestones.`,
    w.left,
    w.width,
    { size: 8.5, color: MUTED },
    8,
  );

  // The dashboard's time axis: to a few days after the last change or the as-of date (not a year
  // of flat line up to today), and every milestone.
  const milestoneTimes = data.milestones.map((m) => parseIso(m.startsAt)?.getTime()).filter((t): t is number => t !== undefined);
  const span = convergenceSpan(all, milestoneTimes, data.asOf === null ? null : (parseIso(data.asOf)?.getTime() ?? null)) ?? { from: 0, to: DAY_MS };
  const series = all.filter((p) => (parseIso(p.date)?.getTime() ?? 0) <= span.to);
  const times = series.map((p) => parseIso(p.date)?.getTime() ?? 0);
  const tMin = span.from;
  const tMax = span.to;
  const yTop = Math.max(1, ...series.map((p) => Math.max(p.points, p.agreed, p.blocked, p.addressed)));
  const yStep = niceStep(yTop, 5);
  const yMax = Math.ceil(yTop / yStep) * yStep;

  const plot = { x0: w.left + 36, x1: w.right - 10, y0: doc.y + 22, y1: w.bottom - 130 };
  const sx = (t: number): number => plot.x0 + ((t - tMin) / (tMax - tMin)) * (plot.x1 - plot.x0);
  const sy = (v: number): number => plot.y1 - (v / yMax) * (plot.y1 - plot.y0);

  // Grid and y axis.
  for (let v = 0; v <= yMax; v += yStep) {
    const y = sy(v);
    doc
      .moveTo(plot.x0, y)
      .lineTo(plot.x1, y)
      .lineWidth(v === 0 ? 0.75 : 0.25)
      .strokeColor(v === 0 ? INK : RULE)
      .stroke();
    w.cell(String(v), plot.x0 - 34, y - 3.5, 28, { size: 7.5, color: MUTED }, 'right');
  }
  w.line('points', plot.x0 - 34, plot.y0 - 16, { size: 7.5, color: MUTED });

  // X axis: day ticks at a step that gives at most 8 labels.
  const spanDays = (tMax - tMin) / DAY_MS;
  const stepDays = DAY_STEPS.find((s) => spanDays / s <= 8) ?? Math.ceil(spanDays / 8);
  const firstTick = Math.ceil(tMin / DAY_MS) * DAY_MS;
  let lastYear = -1;
  for (let t = firstTick; t <= tMax; t += stepDays * DAY_MS) {
    const x = sx(t);
    doc
      .moveTo(x, plot.y1)
      .lineTo(x, plot.y1 + 4)
      .lineWidth(0.5)
      .strokeColor(INK)
      .stroke();
    const d = new Date(t);
    const label = d.getUTCFullYear() !== lastYear ? `${formatDayShort(d)} ${d.getUTCFullYear()}` : formatDayShort(d);
    lastYear = d.getUTCFullYear();
    w.cell(label, x - 35, plot.y1 + 7, 70, { size: 7.5, color: MUTED }, 'center');
  }

  // Milestones inside the charted period: dashed vertical ticks with a number, listed below.
  const shown: Milestone[] = data.milestones
    .filter((m) => {
      const t = parseIso(m.startsAt)?.getTime();
      return t !== undefined && t >= tMin && t <= tMax;
    })
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  // Numbers on up to three rows, each on the first row where it clears the previous number; one
  // that fits nowhere is left out (the list below names every milestone) rather than overprinted.
  const rowEnds = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  shown.forEach((m, i) => {
    const x = sx(parseIso(m.startsAt)?.getTime() ?? tMin);
    const labelRow = rowEnds.findIndex((end) => x - 6 > end);
    if (labelRow >= 0) rowEnds[labelRow] = x + 6;
    doc.save();
    doc
      .moveTo(x, plot.y0 - 4)
      .lineTo(x, plot.y1)
      .dash(2, { space: 2 })
      .lineWidth(0.5)
      .strokeColor('#7a7a7a')
      .stroke();
    doc.restore();
    if (labelRow >= 0) w.cell(String(i + 1), x - 10, plot.y0 - 13 - labelRow * 8, 20, { font: BOLD, size: 6.5, color: '#555555' }, 'center');
  });

  // Lines: agreed solid blue with dots, blocked dashed red with squares, addressed thin grey.
  const drawLine = (pick: (p: ConvergencePoint) => number, color: string, width: number, dashed: boolean, marker: 'dot' | 'square' | null): void => {
    doc.save();
    series.forEach((p, i) => {
      const x = sx(times[i]);
      const y = sy(pick(p));
      if (i === 0) doc.moveTo(x, y);
      else doc.lineTo(x, y);
    });
    if (dashed) doc.dash(5, { space: 3 });
    doc.lineWidth(width).strokeColor(color).lineJoin('round').stroke();
    doc.restore();
    if (marker !== null && series.length <= 60) {
      series.forEach((p, i) => {
        const x = sx(times[i]);
        const y = sy(pick(p));
        if (marker === 'dot') doc.circle(x, y, 2).fillColor(color).fill();
        else doc.rect(x - 2, y - 2, 4, 4).fillColor(color).fill();
      });
    }
  };
  drawLine((p) => p.addressed, '#9e9e9e', 0.75, false, null);
  drawLine((p) => p.blocked, POSITION_SWATCH.red_line.background, 1.75, true, 'square');
  drawLine((p) => p.agreed, POSITION_SWATCH.accept.background, 2, false, 'dot');

  // Legend.
  const ly = plot.y1 + 24;
  const legend: [string, string, boolean][] = [
    ['Agreed', POSITION_SWATCH.accept.background, false],
    ['Blocked', POSITION_SWATCH.red_line.background, true],
    ['Addressed (any stated position)', '#9e9e9e', false],
  ];
  let lx = plot.x0;
  for (const [label, color, dashed] of legend) {
    doc.save();
    doc.moveTo(lx, ly + 4).lineTo(lx + 22, ly + 4);
    if (dashed) doc.dash(5, { space: 3 });
    doc.lineWidth(2).strokeColor(color).stroke();
    doc.restore();
    w.line(label, lx + 27, ly, { size: 8 });
    lx += 27 + doc.widthOfString(safe(label)) + 18;
  }
  const last = all[all.length - 1];
  w.line(
    `Latest (${formatDay(last.date)}): ${last.agreed} agreed, ${last.blocked} blocked, ${last.addressed} addressed of ${last.points} points.`,
    lx,
    ly,
    { size: 8, color: MUTED },
  );

  // Milestone list.
  doc.y = ly + 20;
  if (shown.length > 0) w.para('Milestones', w.left, w.width, { font: BOLD, size: 9 }, 3);
  shown.forEach((m, i) => {
    w.ensure(12);
    const y = doc.y;
    w.line(String(i + 1), w.left, y, { font: BOLD, size: 8 });
    w.line(formatEffective(m.startsAt, m.startsPrecision), w.left + 18, y, { size: 8, color: MUTED });
    w.cell(`${m.title} (${m.kind})`, w.left + 95, y, w.width - 95, { size: 8 });
    doc.y = y + 11;
  });
  const hidden = data.milestones.length - shown.length;
  if (hidden > 0) w.para(`${hidden} milestone(s) outside the charted period are not shown.`, w.left, w.width, { size: 8, color: MUTED });
}
