import { POSITION_LABEL, type CarryChoice, type CarryItem, type CarryStancesResult } from '@parley/contracts';

/** The carry request's path for a point. */
export const carryPath = (slug: string, pointId: string) => `/negotiations/${encodeURIComponent(slug)}/points/${encodeURIComponent(pointId)}/carry-stances`;

/** One line per party of a plan or a result: what happens to it, in words. */
export function itemText(item: CarryItem): string {
  const from = item.from ? `${POSITION_LABEL[item.from.position]} from ${item.from.pointCode}` : null;
  switch (item.status) {
    case 'planned':
      return `${from ?? ''}, effective ${item.effectiveAt?.slice(0, 10) ?? ''}`;
    case 'recorded':
      return `${from ?? ''}: recorded`;
    case 'proposed':
      return `${from ?? ''}: proposed, waiting for review`;
    case 'choice_required':
      return 'The parents differ: choose one';
    case 'skipped':
      return `Skipped: ${item.reason ?? ''}`;
  }
}

/**
 * The choices to send: for every party whose parents differ, the parent picked (null while one is
 * still unpicked: the form cannot be sent yet).
 */
export function choicesOf(plan: CarryStancesResult, picked: Readonly<Record<string, string>>): CarryChoice[] | null {
  const out: CarryChoice[] = [];
  for (const item of plan.items) {
    if (item.status !== 'choice_required') continue;
    const fromPointId = picked[item.partyId];
    if (!fromPointId) return null;
    out.push({ partyId: item.partyId, fromPointId });
  }
  return out;
}

/** What a carry did, in one sentence. */
export function resultText(result: CarryStancesResult): string {
  const count = (status: CarryItem['status']) => result.items.filter((i) => i.status === status).length;
  const recorded = count('recorded');
  const proposed = count('proposed');
  const skipped = count('skipped');
  const parts = [
    recorded ? `${recorded} stance${recorded === 1 ? '' : 's'} carried` : null,
    proposed ? `${proposed} proposal${proposed === 1 ? '' : 's'} made for review` : null,
    skipped ? `${skipped} part${skipped === 1 ? 'y' : 'ies'} skipped` : null,
  ].filter(Boolean);
  return parts.length ? `${parts.join(', ')}.` : 'Nothing to carry.';
}

/** Whether a plan has anything to carry. */
export const hasWork = (plan: CarryStancesResult) => plan.items.some((i) => i.status === 'planned' || i.status === 'choice_required');
