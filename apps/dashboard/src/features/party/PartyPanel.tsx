import './party.css';
import { ErrorNotice, Loading } from '../../shared/QueryState';
import { useMatrix } from '../../shared/use-matrix';
import { PartyView } from './PartyView';
import { useParties } from '../../shared/use-parties';

interface Props {
  slug: string;
  asOf: string | null;
  knownAt: string | null;
  partyId: string | null;
  onSelectParty: (partyId: string) => void;
  onOpenPoint: (pointId: string) => void;
}

/** The party view, from the matrix already fetched for the date (same query key, so no new request). */
export function PartyPanel({ slug, asOf, knownAt, partyId, onSelectParty, onOpenPoint }: Props) {
  const matrix = useMatrix(slug, asOf, { knownAt });
  const parties = useParties(slug);
  if (matrix.isPending) return <Loading what="the positions" />;
  if (matrix.isError) return <ErrorNotice error={matrix.error} what="the positions" onRetry={() => void matrix.refetch()} />;
  const selected = matrix.data.parties.find((p) => p.id === partyId || p.code === partyId) ?? matrix.data.parties[0];
  if (!selected) return <p className="empty-state">This negotiation has no parties yet.</p>;
  return (
    <PartyView
      view={matrix.data}
      partyId={selected.id}
      party={parties.data?.find((p) => p.id === selected.id)}
      caption={`${selected.name}: positions ${asOf ? `as of ${asOf} (end of day, UTC)` : 'now'}, hardest first`}
      onSelectParty={onSelectParty}
      onOpenPoint={onOpenPoint}
    />
  );
}
