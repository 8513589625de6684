import type { LastVisit } from './last-seen';

interface Props {
  /** Cells (of those shown) whose stance was recorded after the last visit. */
  count: number;
  visit: LastVisit;
  onMarkSeen: () => void;
}

/** "27 Nov 2026, 10:14 UTC" — the visit time in the viewer's locale, in UTC like the rest of the dashboard. */
function visitTime(at: string): string {
  return `${new Date(at).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })} UTC`;
}

/** The notice above the matrix: how many cells changed since the viewer's last visit, with "mark as seen". */
export function SinceLastVisit({ count, visit, onMarkSeen }: Props) {
  if (count === 0) return null;
  return (
    <p className="since-visit" role="status">
      <span className="since-visit__dot" aria-hidden="true" />
      <span>
        <strong>{count === 1 ? '1 cell' : `${count} cells`}</strong> changed since your last visit
        {visit.at ? ` (${visitTime(visit.at)})` : ''} —{' '}
      </span>
      <button type="button" className="link-button" onClick={onMarkSeen}>
        mark as seen
      </button>
    </p>
  );
}
