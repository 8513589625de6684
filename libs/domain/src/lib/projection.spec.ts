import type { Position } from '@parley/contracts';
import { cellKey, cellVersions, compareFacts, currentStances, isVisible } from './projection';
import type { StanceFact, TimeView } from './projection';

const D = (n: number): number => Date.UTC(2025, 10, n); // day n of November 2025, 00:00Z
const H = 3_600_000;

let nextSeq = 1;
function fact(
  position: Position,
  effectiveAt: number,
  recordedAt: number,
  extra: Partial<StanceFact> = {},
): StanceFact {
  const seq = extra.seq ?? nextSeq++;
  return { id: `e${seq}`, partyId: 'ru', pointId: 'p1', position, effectiveAt, recordedAt, seq, retractedAt: null, ...extra };
}

function stanceOf(facts: StanceFact[], view: TimeView, partyId = 'ru', pointId = 'p1'): string | undefined {
  return currentStances(facts, view).get(cellKey(partyId, pointId))?.id;
}

describe('compareFacts', () => {
  it('orders by effectiveAt, then recordedAt, then seq', () => {
    const a = fact('accept', D(2), D(9), { seq: 9 });
    const b = fact('accept', D(3), D(3), { seq: 1 });
    const c = fact('accept', D(3), D(4), { seq: 0 });
    const d = fact('accept', D(3), D(4), { seq: 5 });
    expect([d, c, b, a].sort(compareFacts).map((f) => f.seq)).toEqual([9, 1, 0, 5]);
    expect(compareFacts(d, d)).toBe(0);
  });
});

describe('currentStances with a back-dated event', () => {
  // e1 accept on day 1; e2 reject on day 5; e3 red_line that happened on day 3 but was only
  // recorded on day 6 (a source reported it late).
  const e1 = fact('accept', D(1), D(1) + H, { id: 'e1' });
  const e2 = fact('reject', D(5), D(5) + H, { id: 'e2' });
  const e3 = fact('red_line', D(3), D(6), { id: 'e3' });
  const facts = [e1, e2, e3];

  it('does not let the late event replace the later one', () => {
    expect(stanceOf(facts, {})).toBe('e2');
    expect(stanceOf(facts, { asOf: D(5) })).toBe('e2');
  });

  it('changes the asOf views between its effectiveAt and the next event', () => {
    expect(stanceOf(facts, { asOf: D(3) })).toBe('e3');
    expect(stanceOf(facts, { asOf: D(4) })).toBe('e3');
    expect(stanceOf(facts, { asOf: D(3) - 1 })).toBe('e1');
  });

  it('is not seen by a knownAt before it was recorded (bitemporal asOf + knownAt)', () => {
    expect(stanceOf(facts, { asOf: D(4), knownAt: D(5) + 2 * H })).toBe('e1');
    expect(stanceOf(facts, { asOf: D(4), knownAt: D(6) })).toBe('e3');
    // What the dashboard showed on day 5 at 12:00 for "now": e2 had just been recorded.
    expect(stanceOf(facts, { knownAt: D(5) + 12 * H })).toBe('e2');
    expect(stanceOf(facts, { knownAt: D(5) })).toBe('e1');
  });

  it('has no stance before the first event, or before anything was recorded', () => {
    expect(stanceOf(facts, { asOf: D(1) - 1 })).toBeUndefined();
    expect(stanceOf(facts, { knownAt: D(1) })).toBeUndefined();
  });

  it('gives the same answer whatever the input order', () => {
    expect(stanceOf([e3, e2, e1], { asOf: D(4) })).toBe('e3');
    expect(stanceOf([e2, e3, e1], {})).toBe('e2');
  });
});

describe('currentStances ties on effectiveAt', () => {
  it('breaks them by recordedAt', () => {
    const early = fact('accept', D(4), D(4) + 2 * H, { id: 'early', seq: 50 });
    const late = fact('reject', D(4), D(4) + 3 * H, { id: 'late', seq: 10 });
    expect(stanceOf([late, early], {})).toBe('late');
    expect(stanceOf([late, early], { knownAt: D(4) + 2 * H })).toBe('early');
  });

  it('then by seq', () => {
    const first = fact('accept', D(4), D(4), { id: 'first', seq: 10 });
    const second = fact('reject', D(4), D(4), { id: 'second', seq: 11 });
    expect(stanceOf([second, first], {})).toBe('second');
    expect(stanceOf([first, second], {})).toBe('second');
  });
});

describe('currentStances with retractions', () => {
  const e1 = fact('accept', D(1), D(1), { id: 'e1' });
  // e2 is retracted on day 4 (e.g. the quote turned out to be fake).
  const e2 = fact('reject', D(2), D(2), { id: 'e2', retractedAt: D(4) });
  const facts = [e1, e2];

  it('hides the retracted event and brings the previous one back', () => {
    expect(stanceOf(facts, {})).toBe('e1');
  });

  it('does not apply a retraction recorded after knownAt', () => {
    expect(stanceOf(facts, { knownAt: D(3) })).toBe('e2');
    expect(stanceOf(facts, { knownAt: D(4) - 1 })).toBe('e2');
    expect(stanceOf(facts, { knownAt: D(4) })).toBe('e1');
  });

  it('treats a known retraction as a correction for every asOf, even before it was made', () => {
    expect(stanceOf(facts, { asOf: D(3), knownAt: D(5) })).toBe('e1');
    expect(stanceOf(facts, { asOf: D(3), knownAt: D(3) })).toBe('e2');
  });

  it('leaves no stance when the only event is retracted', () => {
    const only = fact('red_line', D(2), D(2), { id: 'only', partyId: 'ua', retractedAt: D(3) });
    expect(stanceOf([only], {}, 'ua')).toBeUndefined();
    expect(stanceOf([only], { knownAt: D(2) }, 'ua')).toBe('only');
  });

  it('keeps cells apart', () => {
    const other = fact('conditional', D(3), D(3), { id: 'other', pointId: 'p2' });
    const current = currentStances([...facts, other], {});
    expect([...current.keys()].sort()).toEqual([cellKey('ru', 'p1'), cellKey('ru', 'p2')].sort());
    expect(current.get(cellKey('ru', 'p2'))?.id).toBe('other');
  });
});

describe('isVisible', () => {
  const f = fact('accept', D(3), D(5), { retractedAt: D(7) });

  it.each<[TimeView, boolean]>([
    [{}, false],
    [{ knownAt: D(5) }, true],
    [{ knownAt: D(5) - 1 }, false],
    [{ knownAt: D(7) - 1 }, true],
    [{ knownAt: D(7) }, false],
    [{ asOf: D(3), knownAt: D(6) }, true],
    [{ asOf: D(3) - 1, knownAt: D(6) }, false],
  ])('view %p → %p', (view, visible) => {
    expect(isVisible(f, view)).toBe(visible);
  });
});

describe('cellVersions', () => {
  it('counts events plus retractions per cell', () => {
    const facts = [
      fact('accept', D(1), D(1)),
      fact('reject', D(2), D(2), { retractedAt: D(3) }),
      fact('amend', D(4), D(4)),
      fact('accept', D(1), D(1), { partyId: 'us' }),
      fact('accept', D(1), D(1), { pointId: 'p2', retractedAt: D(2) }),
    ];
    const versions = cellVersions(facts);
    expect(versions.get(cellKey('ru', 'p1'))).toBe(4);
    expect(versions.get(cellKey('us', 'p1'))).toBe(1);
    expect(versions.get(cellKey('ru', 'p2'))).toBe(2);
    expect(versions.size).toBe(3);
  });

  it('is empty without events', () => {
    expect(cellVersions([]).size).toBe(0);
  });
});
