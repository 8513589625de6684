import type { ConvergencePoint, MetricsView, Milestone } from '@parley/contracts';
import { convergenceSpan } from '@parley/domain';
import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

interface Props {
  series: readonly ConvergencePoint[];
  milestones: readonly Pick<Milestone, 'id' | 'title' | 'startsAt'>[];
  /** The dashboard's as-of day, drawn as a reference line. */
  asOf: string | null;
  /** The series' spacing (the server picks a coarser one for a long history). */
  step?: MetricsView['step'];
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Agreed / blocked / addressed points per day, with milestones as labelled lines on the time axis. */
export function ConvergenceChart({ series, milestones, asOf, step = 'day' }: Props) {
  const data = series.map((p) => ({ ...p, t: Date.parse(p.date) }));
  const marks = [...milestones].sort((a, b) => a.startsAt.localeCompare(b.startsAt)).map((m, i) => ({ ...m, n: i + 1, t: Date.parse(m.startsAt) }));
  const asOfT = asOf ? Date.parse(`${asOf}T23:59:59.999Z`) : null;
  // The same time axis as the PDF's: to the last change or the as-of day, and every milestone.
  const span = convergenceSpan(series, marks.map((m) => m.t), asOfT);
  const domain: [number, number] = span ? [span.from, span.to] : [0, 1];
  const shown = data.filter((d) => d.t <= domain[1]);
  const last = series.at(-1);
  const summary = last
    ? `Convergence curve from ${series[0]?.date.slice(0, 10)} to ${last.date.slice(0, 10)}: on the last day ${last.agreed} of ${last.points} points agreed, ${last.blocked} blocked, ${last.addressed} addressed.`
    : 'No data for the convergence curve.';

  return (
    <figure className="chart" aria-label="Convergence curve">
      <div role="img" aria-label={summary} className="chart__canvas">
        <ResponsiveContainer width="100%" height={340}>
          <ComposedChart data={shown} margin={{ top: 24, right: 24, bottom: 8, left: 0 }}>
            <CartesianGrid stroke="#e3e6ea" />
            <XAxis dataKey="t" type="number" scale="time" domain={domain} allowDataOverflow tickFormatter={day} minTickGap={32} />
            <YAxis allowDecimals={false} width={40} />
            <Tooltip labelFormatter={(t) => day(Number(t))} />
            <Legend />
            <Area dataKey="addressed" name="Addressed" type="stepAfter" fill="#d1e5f0" stroke="#67a9cf" isAnimationActive={false} />
            <Line dataKey="agreed" name="Agreed" type="stepAfter" stroke="#2166ac" strokeWidth={3} dot={false} isAnimationActive={false} />
            <Line
              dataKey="blocked"
              name="Blocked"
              type="stepAfter"
              stroke="#b2182b"
              strokeWidth={3}
              strokeDasharray="6 3"
              dot={false}
              isAnimationActive={false}
            />
            {marks.map((m) => (
              <ReferenceLine
                key={m.id}
                x={m.t}
                stroke="#6b7280"
                strokeDasharray="2 3"
                label={{ value: String(m.n), position: 'top', fontSize: 11, fontWeight: 700, fill: '#374151' }}
              />
            ))}
            {asOf ? (
              <ReferenceLine
                x={Date.parse(`${asOf}T23:59:59.999Z`)}
                stroke="#1b1f24"
                strokeWidth={2}
                label={{ value: `as of ${asOf}`, position: 'top', fontSize: 12, fill: '#1b1f24' }}
              />
            ) : null}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="hint">
        Points agreed (solid), blocked (dashed) and addressed by at least one party (shaded), each {step}; numbered
        dotted lines are milestones.
      </figcaption>
      {marks.length > 0 ? (
        <ol className="milestones" aria-label="Milestones">
          {marks.map((m) => (
            <li key={m.id}>
              <time dateTime={m.startsAt}>{m.startsAt.slice(0, 10)}</time> {m.title}
            </li>
          ))}
        </ol>
      ) : null}
      <details className="chart__data">
        <summary>Data table</summary>
        <table className="data-table">
          <caption className="visually-hidden">Convergence by {step}</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Agreed</th>
              <th scope="col">Blocked</th>
              <th scope="col">Addressed</th>
              <th scope="col">Points</th>
            </tr>
          </thead>
          <tbody>
            {series.map((p) => (
              <tr key={p.date}>
                <th scope="row">{p.date.slice(0, 10)}</th>
                <td>{p.agreed}</td>
                <td>{p.blocked}</td>
                <td>{p.addressed}</td>
                <td>{p.points}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
