import type { PairDistance } from '@parley/contracts';

interface Props {
  parties: readonly { id: string; code: string; name: string }[];
  distances: readonly PairDistance[];
}

/** Diverging blue (close) → red (far) stops for distances 0..4, safe for red–green colour blindness. */
const STOPS: readonly string[] = ['#2166ac', '#92c5de', '#f7f7f7', '#f4a582', '#b2182b'];

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Background and a text colour with enough contrast for a distance on the 0..4 scale. */
export function distanceColor(distance: number): { background: string; color: string } {
  const d = Math.min(4, Math.max(0, distance));
  const i = Math.min(3, Math.floor(d));
  const f = d - i;
  const a = hexToRgb(STOPS[i] ?? '#000000');
  const b = hexToRgb(STOPS[i + 1] ?? '#000000');
  const rgb = a.map((v, k) => Math.round(v + ((b[k] ?? v) - v) * f));
  const background = `rgb(${rgb.join(', ')})`;
  // Ends of the scale are dark: white text; the light middle: dark text.
  return { background, color: d < 0.8 || d > 3.3 ? '#ffffff' : '#1b1f24' };
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** Party × party table of mean position distance, with the number in every cell. */
export function DistanceHeatmap({ parties, distances }: Props) {
  const byPair = new Map(distances.map((d) => [pairKey(d.a, d.b), d]));
  if (parties.length < 2) return <p className="empty-state">Distances need at least two parties.</p>;
  return (
    <div className="table-scroll heatmap-scroll" role="region" aria-label="Party distances" tabIndex={0}>
      <table className="heatmap">
        <caption>
          Distance between parties: mean difference of their positions (0 = same, 4 = red line vs accept) over the
          points both addressed
        </caption>
        <thead>
          <tr>
            <td />
            {parties.map((p) => (
              <th key={p.id} scope="col" title={p.name}>
                {p.code}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {parties.map((row) => (
            <tr key={row.id}>
              <th scope="row">{row.name}</th>
              {parties.map((col) => {
                if (col.id === row.id) {
                  return (
                    <td key={col.id} className="heatmap__self">
                      <span aria-hidden="true">·</span>
                      <span className="visually-hidden">same party</span>
                    </td>
                  );
                }
                const pair = byPair.get(pairKey(row.id, col.id));
                if (!pair || pair.distance === null) {
                  return (
                    <td key={col.id} className="heatmap__none" data-distance="none">
                      no shared points
                    </td>
                  );
                }
                return (
                  <td
                    key={col.id}
                    data-distance={pair.distance}
                    style={distanceColor(pair.distance)}
                    title={`${row.name} – ${col.name}: ${pair.distance.toFixed(2)} over ${pair.sharedPoints} shared points`}
                  >
                    {pair.distance.toFixed(1)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
