import type { MatrixView, Milestone } from '@parley/contracts';
import { dayOf } from './days';

export interface DayRange {
  first: string;
  last: string;
}

/**
 * The days a replay runs over: from the first milestone or stance to the last. Stances are those in
 * force now (the "now" matrix), whose dates include the latest change of every cell; milestones add the
 * days around them. Null when there is nothing dated yet.
 */
export function playRange(milestones: readonly Milestone[], now: MatrixView | undefined): DayRange | null {
  const days: string[] = [];
  for (const m of milestones) {
    days.push(dayOf(m.startsAt));
    if (m.endsAt) days.push(dayOf(m.endsAt));
  }
  for (const row of now?.rows ?? []) {
    for (const cell of Object.values(row.cells)) if (cell.stance) days.push(dayOf(cell.stance.effectiveAt));
  }
  days.sort();
  const first = days[0];
  const last = days[days.length - 1];
  return first !== undefined && last !== undefined ? { first, last } : null;
}
