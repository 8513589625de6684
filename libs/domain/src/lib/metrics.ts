import { POSITION_SCORE } from '@parley/contracts';
import type { ConvergencePoint, PairDistance, PointMetrics, Position } from '@parley/contracts';
import { compareFacts, isVisible } from './projection';
import type { StanceFact } from './projection';
import { toIso } from './time';

/** "Agreed" tolerates conditions: a conditional acceptance still counts as agreement. */
export function isAgreeing(position: Position): boolean {
  return POSITION_SCORE[position] >= POSITION_SCORE.conditional;
}

export function isBlocking(position: Position): boolean {
  return position === 'red_line';
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Metrics of one point; parties missing from `positions` have no stated position (never a 0). */
export function pointMetrics(
  pointId: string,
  partyIds: readonly string[],
  positions: { get(partyId: string): Position | undefined },
): PointMetrics {
  const silent: string[] = [];
  let stated = 0;
  let agreeing = 0;
  let blocked = false;
  let minScore: number | null = null;
  let maxScore: number | null = null;
  for (const partyId of partyIds) {
    const position = positions.get(partyId);
    if (position === undefined) {
      silent.push(partyId);
      continue;
    }
    const score = POSITION_SCORE[position];
    stated += 1;
    if (isAgreeing(position)) agreeing += 1;
    if (isBlocking(position)) blocked = true;
    minScore = minScore === null ? score : Math.min(minScore, score);
    maxScore = maxScore === null ? score : Math.max(maxScore, score);
  }
  return {
    pointId,
    stated,
    silent,
    agreed: stated > 0 && agreeing === stated,
    blocked,
    spread: minScore === null || maxScore === null ? null : maxScore - minScore,
    minScore,
    maxScore,
  };
}

/** Distance of every unordered pair (a before b in partyIds order) over the points both stated. */
export function partyDistances(
  partyIds: readonly string[],
  pointIds: readonly string[],
  positionOf: (partyId: string, pointId: string) => Position | undefined,
): PairDistance[] {
  // One lookup per cell instead of one per pair and point: pairs grow quadratically with parties.
  const scores = partyIds.map((partyId) =>
    pointIds.map((pointId) => {
      const position = positionOf(partyId, pointId);
      return position === undefined ? null : POSITION_SCORE[position];
    }),
  );
  const out: PairDistance[] = [];
  for (let i = 0; i < partyIds.length; i += 1) {
    for (let j = i + 1; j < partyIds.length; j += 1) {
      let shared = 0;
      let total = 0;
      for (let k = 0; k < pointIds.length; k += 1) {
        const sa = scores[i][k];
        const sb = scores[j][k];
        if (sa === null || sb === null) continue;
        shared += 1;
        total += Math.abs(sa - sb);
      }
      out.push({
        a: partyIds[i],
        b: partyIds[j],
        distance: shared === 0 ? null : round3(total / shared),
        sharedPoints: shared,
      });
    }
  }
  return out;
}

export interface Totals {
  points: number;
  agreed: number;
  blocked: number;
  agreedShare: number;
}

export function summarize(metrics: readonly PointMetrics[]): Totals {
  const agreed = metrics.filter((m) => m.agreed).length;
  const blocked = metrics.filter((m) => m.blocked).length;
  const points = metrics.length;
  return { points, agreed, blocked, agreedShare: points === 0 ? 0 : round3(agreed / points) };
}

export interface ConvergenceOptions {
  partyIds: readonly string[];
  pointIds: readonly string[];
  /** End bounds (epoch ms), e.g. from dateRange; the series comes out in ascending order. */
  dates: readonly number[];
  knownAt?: number;
}

function indexById(ids: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  ids.forEach((id, i) => {
    if (!index.has(id)) index.set(id, i);
  });
  return index;
}

/** Index of the first date ≥ ms (dates ascending); dates.length when ms is after the last one. */
function firstDateAtOrAfter(dates: readonly number[], ms: number): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dates[mid] < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const NOT_COUNTED = -1;
const AGREES = 1;
const BLOCKS = 2;

function flagsOf(position: Position): number {
  return (isAgreeing(position) ? AGREES : 0) | (isBlocking(position) ? BLOCKS : 0);
}

/**
 * Agreed / blocked / addressed counts at each date, with the same rules as currentStances with
 * asOf = date. One sweep instead of a matrix rebuild per date (1,000,000 facts must stay fast):
 * - each fact goes to the bucket of the first date it counts for (a counting sort by date,
 *   O(n log dates), cheaper than a comparison sort of the facts);
 * - buckets are applied in date order; a fact always beats a cell's fact from an earlier bucket
 *   (its effectiveAt is later) and competes by compareFacts within its own bucket;
 * - per-point counters follow each cell change, so reading a date costs O(points).
 * What the sweep needs is copied into typed arrays in bucket order: reading the fact objects
 * themselves in that order is dominated by cache misses.
 */
export function convergenceSeries(facts: readonly StanceFact[], opts: ConvergenceOptions): ConvergencePoint[] {
  const partyIndex = indexById(opts.partyIds);
  const pointIndex = indexById(opts.pointIds);
  const parties = opts.partyIds.length;
  const points = opts.pointIds.length;
  const dates = [...opts.dates].sort((a, b) => a - b);
  // The knownAt filter does not depend on the date, so it is applied once, while bucketing.
  const knownView = opts.knownAt === undefined ? {} : { knownAt: opts.knownAt };

  const bucketOf = new Int32Array(facts.length);
  const cellOf = new Int32Array(facts.length);
  const flagsAt = new Uint8Array(facts.length);
  const bucketStart = new Int32Array(dates.length + 1);
  for (let i = 0; i < facts.length; i += 1) {
    const fact = facts[i];
    const party = partyIndex.get(fact.partyId);
    const point = pointIndex.get(fact.pointId);
    const bucket = firstDateAtOrAfter(dates, fact.effectiveAt);
    if (party === undefined || point === undefined || bucket === dates.length || !isVisible(fact, knownView)) {
      bucketOf[i] = NOT_COUNTED;
      continue;
    }
    bucketOf[i] = bucket;
    cellOf[i] = point * parties + party;
    flagsAt[i] = flagsOf(fact.position);
    bucketStart[bucket + 1] += 1;
  }
  for (let k = 1; k <= dates.length; k += 1) bucketStart[k] += bucketStart[k - 1];

  const counted = bucketStart[dates.length];
  const sortedFact = new Int32Array(counted);
  const sortedCell = new Int32Array(counted);
  const sortedFlags = new Uint8Array(counted);
  const fill = bucketStart.slice(0, dates.length);
  for (let i = 0; i < facts.length; i += 1) {
    const bucket = bucketOf[i];
    if (bucket === NOT_COUNTED) continue;
    const o = fill[bucket]++;
    sortedFact[o] = i;
    sortedCell[o] = cellOf[i];
    sortedFlags[o] = flagsAt[i];
  }

  // Per cell, the sorted index of the fact in force (NOT_COUNTED: no stated position yet).
  const held = new Int32Array(parties * points).fill(NOT_COUNTED);
  const stated = new Int32Array(points);
  const agreeing = new Int32Array(points);
  const blocking = new Int32Array(points);
  const count = (flags: number, point: number, delta: number): void => {
    if (flags & AGREES) agreeing[point] += delta;
    if (flags & BLOCKS) blocking[point] += delta;
  };

  const series: ConvergencePoint[] = [];
  for (let k = 0; k < dates.length; k += 1) {
    for (let o = bucketStart[k]; o < bucketStart[k + 1]; o += 1) {
      const cell = sortedCell[o];
      const point = Math.floor(cell / parties);
      const before = held[cell];
      if (before === NOT_COUNTED) {
        stated[point] += 1;
      } else if (before < bucketStart[k] || compareFacts(facts[sortedFact[o]], facts[sortedFact[before]]) > 0) {
        count(sortedFlags[before], point, -1);
      } else {
        continue;
      }
      count(sortedFlags[o], point, +1);
      held[cell] = o;
    }
    let agreed = 0;
    let blocked = 0;
    let addressed = 0;
    for (let p = 0; p < points; p += 1) {
      if (stated[p] === 0) continue;
      addressed += 1;
      if (agreeing[p] === stated[p]) agreed += 1;
      if (blocking[p] > 0) blocked += 1;
    }
    series.push({ date: toIso(dates[k]), agreed, blocked, addressed, points });
  }
  return series;
}
