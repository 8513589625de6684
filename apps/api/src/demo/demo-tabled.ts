import { parseInstant } from '@parley/domain';
import type { DemoDataset } from './demo-dataset';
import type { HistoryTimes } from '../changes/plan-versions.service';

/**
 * When each piece of the demo's plan entered the history, so the demo's plan is bitemporal like
 * its stances: a point is tabled by the first text that carries it (recorded that day) or, if
 * earlier, the first stance taken on it (effective and recorded as that stance: p30 was talked
 * about before the 20-point text, p31 is in no text); a document from its date; parties, and a
 * point neither names, from the start of the history.
 */
export function demoHistoryTimes(data: DemoDataset): {
  start: Required<HistoryTimes>;
  point: (code: string) => Required<HistoryTimes>;
  document: (publishedAt: string) => Required<HistoryTimes>;
} {
  const times = new Map<string, { effectiveAt: number; recordedAt: number }>();
  const meet = (code: string, effectiveAt: number, recordedAt: number) => {
    const held = times.get(code);
    times.set(code, {
      effectiveAt: Math.min(held?.effectiveAt ?? Infinity, effectiveAt),
      recordedAt: Math.min(held?.recordedAt ?? Infinity, recordedAt),
    });
  };
  for (const d of data.documents) {
    const at = parseInstant(d.publishedAt);
    for (const p of d.provisions) meet(p.pointCode, at, at);
  }
  for (const s of data.stances) {
    const effectiveAt = parseInstant(s.effectiveAt);
    const recordedAt = Date.parse(s.recordedAt);
    for (const code of [s.point, ...(s.conditions?.pointCodes ?? [])]) meet(code, effectiveAt, recordedAt);
  }
  const starts = [...times.values()];
  const start = {
    effectiveAt: Math.min(...starts.map((t) => t.effectiveAt)),
    recordedAt: Math.min(...starts.map((t) => t.recordedAt)),
  };
  return {
    start,
    point: (code) => times.get(code) ?? start,
    document: (publishedAt) => ({ effectiveAt: parseInstant(publishedAt), recordedAt: parseInstant(publishedAt) }),
  };
}
