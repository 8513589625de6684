import { POSITIONS } from '@parley/contracts';
import { pick, seededRandom } from '../testing/seeded-random';
import { corroboration, corroborationOf, NO_CORROBORATION, outletKey, type RunEvent } from './corroboration';
import { cellKey, compareFacts, isVisible, type StanceFact, type TimeView } from './projection';
import { StanceIndex } from './stance-index';

const ev = (position: string, sourceId: string | null, outlet: string | null = null): RunEvent => ({ position, sourceId, outlet });

describe('outletKey', () => {
  it('ignores case and spaces; an empty or absent outlet is none', () => {
    expect(outletKey('The  Kyiv Independent')).toBe(outletKey('the kyiv\tindependent '));
    expect(outletKey('Reuters')).not.toBe(outletKey('AP'));
    expect(outletKey('   ')).toBeNull();
    expect(outletKey(null)).toBeNull();
  });
});

describe('corroborationOf', () => {
  it('is nothing without a stance in force', () => {
    expect(corroborationOf([])).toEqual({ outlets: 0, sources: 0, corroborated: false });
    expect(corroboration(0, 0)).toBe(NO_CORROBORATION);
  });

  it('counts two articles of one outlet once: one outlet, two sources, not corroborated', () => {
    expect(corroborationOf([ev('accept', 's1', 'Reuters'), ev('accept', 's2', ' reuters ')])).toEqual({ outlets: 1, sources: 2, corroborated: false });
  });

  it('is corroborated by two outlets, and a source cited twice counts once', () => {
    expect(corroborationOf([ev('accept', 's1', 'Reuters'), ev('accept', 's2', 'AP'), ev('accept', 's1', 'Reuters')])).toEqual({ outlets: 2, sources: 2, corroborated: true });
  });

  it('counts a source without an outlet as a source, never as an outlet; an event without a source counts for nothing', () => {
    expect(corroborationOf([ev('reject', 'doc', null), ev('reject', 'para', null), ev('reject', null)])).toEqual({ outlets: 0, sources: 2, corroborated: false });
    expect(corroborationOf([ev('reject', 'doc', null), ev('reject', 's1', 'TASS')])).toEqual({ outlets: 1, sources: 2, corroborated: false });
  });

  it('counts only the run: an older report of the same position before a change of mind no longer supports it', () => {
    expect(corroborationOf([ev('accept', 's1', 'AP'), ev('reject', 's2', 'TASS'), ev('accept', 's3', 'Reuters')])).toEqual({ outlets: 1, sources: 1, corroborated: false });
  });
});

/** The reference: the visible events per cell in compareFacts order, through corroborationOf. */
function reference(facts: StanceFact[], outletOf: Map<string, string | null>, sourceOf: Map<number, string | null>, view: TimeView): Map<string, string> {
  const byCell = new Map<string, StanceFact[]>();
  for (const f of facts) {
    const key = cellKey(f.partyId, f.pointId);
    if (!byCell.has(key)) byCell.set(key, []);
    if (isVisible(f, view)) byCell.get(key)?.push(f);
  }
  const out = new Map<string, string>();
  for (const [key, visible] of byCell) {
    visible.sort(compareFacts);
    const run = visible.map((f) => ev(f.position, sourceOf.get(f.seq) ?? null, outletOf.get(sourceOf.get(f.seq) ?? '') ?? null));
    out.set(key, JSON.stringify(corroborationOf(run)));
  }
  return out;
}

describe('StanceIndex corroboration', () => {
  it.each([1, 2, 3, 4])('equals corroborationOf over the visible events at random views, with outlets corrected on the way (seed %i)', (seed) => {
    const random = seededRandom(seed);
    const outlets = ['Reuters', 'reuters ', 'AP', 'The Guardian', 'the  guardian', null];
    const sources = Array.from({ length: 8 }, (_, i) => `src${i}`);
    const outletOf = new Map<string, string | null>(sources.map((s) => [s, pick(random, outlets)]));
    const sourceOf = new Map<number, string | null>();
    const facts: StanceFact[] = [];
    const index = new StanceIndex();
    for (const [id, outlet] of outletOf) index.setOutlet(id, outlet);
    // Few positions, so that runs longer than one event are common.
    const positions = POSITIONS.slice(0, 2);
    for (let seq = 1; seq <= 400; seq += 1) {
      const fact: StanceFact = {
        id: `e${seq}`,
        partyId: pick(random, ['a', 'b']),
        pointId: pick(random, ['p1', 'p2', 'p3']),
        position: pick(random, positions),
        effectiveAt: Math.floor(random() * 40),
        recordedAt: seq,
        seq,
        retractedAt: null,
      };
      const source = random() < 0.15 ? null : pick(random, sources);
      sourceOf.set(seq, source);
      facts.push(fact);
      index.add({ ...fact, sourceId: source });
      if (random() < 0.1) {
        const target = pick(random, facts);
        if (target.retractedAt === null && target.seq < seq) {
          target.retractedAt = seq + 0.5;
          expect(index.retract(target.seq, target.retractedAt, 0)).toBe(true);
        }
      }
      if (random() < 0.03) {
        // A corrected outlet counts from then on, at every date.
        const source = pick(random, sources);
        outletOf.set(source, pick(random, outlets));
        index.setOutlet(source, outletOf.get(source) ?? null);
      }
    }
    let corroborated = 0;
    for (let i = 0; i < 60; i += 1) {
      const view: TimeView = i === 0 ? {} : { asOf: Math.floor(random() * 44), knownAt: random() < 0.5 ? undefined : Math.floor(random() * 420) };
      const at = index.inForce(view);
      const got = new Map<string, string>();
      for (let c = 0; c < index.cellCount; c += 1) {
        const value = at.seq[c] < 0 ? NO_CORROBORATION : corroboration(at.outlets[c], at.sources[c]);
        got.set(cellKey(index.partyOf(c), index.pointOf(c)), JSON.stringify(value));
        if (value.corroborated) corroborated += 1;
      }
      expect(got).toEqual(reference(facts, outletOf, sourceOf, view));
    }
    // Both answers occur, or the test proves little.
    expect(corroborated).toBeGreaterThan(0);
    expect(corroborated).toBeLessThan(60 * index.cellCount);
  });
});
