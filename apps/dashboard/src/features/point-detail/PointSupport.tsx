import { POSITION_LABEL } from '@parley/contracts';
import { corroborationText } from '../../shared/cell-format';
import { useMatrix } from '../../shared/use-matrix';

interface Props {
  slug: string;
  pointId: string;
  asOf: string | null;
  knownAt: string | null;
}

/**
 * Per party, who supports its stance in force on the point at the dashboard's date: "corroborated by
 * N independent outlets", "single source"… (libs/domain corroboration.ts). From the matrix the page
 * already holds; nothing while it loads.
 */
export function PointSupport({ slug, pointId, asOf, knownAt }: Props) {
  const matrix = useMatrix(slug, asOf, { knownAt });
  const row = matrix.data?.rows.find((r) => r.point.id === pointId);
  if (!matrix.data || !row) return null;
  const items = matrix.data.parties.flatMap((party) => {
    const cell = row.cells[party.id];
    if (!cell?.stance) return [];
    return [{ party, position: POSITION_LABEL[cell.stance.position], text: corroborationText(cell.corroboration), corroborated: cell.corroboration.corroborated }];
  });
  if (items.length === 0) return null;
  return (
    <>
      <h4 className="drawer__section">Support for each stance in force</h4>
      <ul className="support">
        {items.map(({ party, position, text, corroborated }) => (
          <li key={party.id} data-corroborated={corroborated ? '' : undefined}>
            {party.name} ({position}): {text}
          </li>
        ))}
      </ul>
    </>
  );
}
