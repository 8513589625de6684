import { ErrorNotice, Loading } from '../../app/QueryState';
import { Legend } from './Legend';
import { MatrixTable } from './MatrixTable';
import { useMatrix } from './use-matrix';

interface Props {
  slug: string;
  asOf: string | null;
}

/** Loads the matrix of one negotiation at one date and shows it. */
export function MatrixPanel({ slug, asOf }: Props) {
  const matrix = useMatrix(slug, asOf);

  if (matrix.isPending) return <Loading what="the matrix" />;
  if (matrix.isError) return <ErrorNotice error={matrix.error} what="the matrix" onRetry={() => void matrix.refetch()} />;

  const caption = asOf ? `Positions as of ${asOf} (end of day, UTC)` : 'Positions now';
  return (
    <section aria-busy={matrix.isFetching} className={matrix.isPlaceholderData ? 'is-stale' : undefined}>
      <Legend />
      <MatrixTable view={matrix.data} caption={caption} />
    </section>
  );
}
