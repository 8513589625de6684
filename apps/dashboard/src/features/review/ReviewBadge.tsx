import './review.css';
import { patchSearch } from '../../shared/url-state';
import { useAuth } from '../auth/AuthProvider';
import { useOpenProposals } from './proposals';
import { useReviewStream } from './use-review-stream';

interface Props {
  /** The negotiation on screen; null: none. */
  slug: string | null;
  onOpen: () => void;
}

/** The header's count of open proposals, for analysts and admins only, kept live by the staff stream; it opens the review queue. */
export function ReviewBadge({ slug, onOpen }: Props) {
  const { analyst } = useAuth();
  useReviewStream(slug);
  const open = useOpenProposals(slug, analyst);
  if (!analyst || !slug) return null;
  const n = open.data?.length ?? null;
  const label = n === null ? 'Review queue' : `Review queue: ${n} ${n === 1 ? 'proposal' : 'proposals'} waiting`;
  return (
    <a
      className={`review-badge${n ? ' review-badge--waiting' : ''}`}
      href={patchSearch(window.location.search, { view: 'review', milestone: null }) || '?'}
      aria-label={label}
      data-count={n ?? undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        onOpen();
      }}
    >
      Review <span className="review-badge__count">{n ?? '…'}</span>
    </a>
  );
}
