import { compareDocuments, naturalCompare } from './compare';
import type { ComparedPoint, DocSide } from './compare';

describe('naturalCompare', () => {
  it('sorts provision numbers as people read them', () => {
    const numbers = ['10', '2', '6a', 'II.10', '6', '1', '6B', 'II.3', '6b'];
    expect([...numbers].sort(naturalCompare)).toEqual(['1', '2', '6', '6a', '6B', '6b', '10', 'II.3', 'II.10']);
  });

  it('is zero only for equal strings and stays antisymmetric on leading zeros', () => {
    expect(naturalCompare('7', '7')).toBe(0);
    expect(Math.sign(naturalCompare('07', '7'))).toBe(-Math.sign(naturalCompare('7', '07')));
    expect(naturalCompare('07', '7')).not.toBe(0);
    expect(naturalCompare('9', '10')).toBeLessThan(0);
    expect(naturalCompare('99999999999999999999', '100000000000000000000')).toBeLessThan(0);
  });
});

describe('compareDocuments', () => {
  const points = new Map<string, ComparedPoint>([
    ['ceasefire', { title: 'Ceasefire', derivedFrom: [] }],
    ['nato', { title: 'NATO membership', derivedFrom: [] }],
    ['army', { title: 'Armed forces', derivedFrom: [] }],
    // The EU text splits "army" in two; the size point also cites a point neither document has.
    ['army_size', { title: 'Size of the army', derivedFrom: [{ pointId: 'army', kind: 'split' }, { pointId: 'old', kind: 'merge' }] }],
    ['army_arms', { title: 'Long-range weapons', derivedFrom: [{ pointId: 'army', kind: 'split' }] }],
    ['exchange', { title: 'Prisoner exchange', derivedFrom: [] }],
    // Amnesty (only in a) was merged into sanctions, which both documents have.
    ['sanctions', { title: 'Sanctions', derivedFrom: [{ pointId: 'amnesty', kind: 'merge' }] }],
    ['amnesty', { title: 'Amnesty', derivedFrom: [] }],
  ]);
  const a: DocSide = {
    id: 'us28',
    title: 'US 28-point draft',
    provisions: [
      { pointId: 'amnesty', number: '9', text: 'Full amnesty for all parties.' },
      { pointId: 'ceasefire', number: '1', text: 'Ceasefire along the line of contact.' },
      { pointId: 'army', number: '2', text: 'The armed forces are capped at 600,000.' },
      { pointId: 'nato', number: '3', text: 'Ukraine will not join NATO.' },
      { pointId: 'sanctions', number: '4', text: 'Sanctions are lifted in stages.' },
    ],
  };
  const b: DocSide = {
    id: 'eu',
    title: 'European counter-proposal',
    provisions: [
      { pointId: 'sanctions', number: '10', text: 'Sanctions are lifted gradually in stages.' },
      { pointId: 'army_arms', number: '3b', text: 'No limit on long-range weapons.' },
      { pointId: 'ceasefire', number: '1', text: 'Ceasefire along the line of contact.' },
      { pointId: 'exchange', number: '5', text: 'All prisoners are exchanged.' },
      { pointId: 'army_size', number: '3a', text: 'The armed forces are capped at 800,000 in peacetime.' },
      { pointId: 'nato', number: '2', text: 'Ukraine will not join NATO.' },
    ],
  };
  const view = compareDocuments(a, b, points);
  const row = (pointId: string) => {
    const found = view.rows.find((r) => r.pointId === pointId);
    if (!found) throw new Error(`no row for ${pointId}`);
    return found;
  };

  it("orders rows by b's numbers, then the points only in a by a's numbers", () => {
    expect(view.rows.map((r) => `${r.b?.number ?? `a:${r.a?.number}`} ${r.pointId}`)).toEqual([
      '1 ceasefire',
      '2 nato',
      '3a army_size',
      '3b army_arms',
      '5 exchange',
      '10 sanctions',
      'a:2 army',
      'a:9 amnesty',
    ]);
  });

  it('counts rows per status', () => {
    expect(view.summary).toEqual({ same: 2, changed: 1, only_a: 2, only_b: 3 });
    expect(view.a).toEqual({ id: 'us28', title: 'US 28-point draft' });
    expect(view.b).toEqual({ id: 'eu', title: 'European counter-proposal' });
  });

  it('marks an unchanged point as same, renumbered or not', () => {
    expect(row('ceasefire')).toMatchObject({ status: 'same', renumbered: false, pointTitle: 'Ceasefire' });
    expect(row('ceasefire').diff).toEqual([{ op: 'equal', text: 'Ceasefire along the line of contact.' }]);
    expect(row('nato')).toMatchObject({
      status: 'same',
      renumbered: true,
      a: { number: '3', text: 'Ukraine will not join NATO.' },
      b: { number: '2', text: 'Ukraine will not join NATO.' },
    });
  });

  it('diffs a changed text word by word', () => {
    expect(row('sanctions')).toMatchObject({ status: 'changed', renumbered: true });
    expect(row('sanctions').diff).toEqual([
      { op: 'equal', text: 'Sanctions are lifted ' },
      { op: 'insert', text: 'gradually ' },
      { op: 'equal', text: 'in stages.' },
    ]);
  });

  it('shows a point only in one document against an empty text', () => {
    expect(row('exchange')).toMatchObject({ status: 'only_b', renumbered: false, a: null, lineage: [] });
    expect(row('exchange').diff).toEqual([{ op: 'insert', text: 'All prisoners are exchanged.' }]);
    expect(row('amnesty')).toMatchObject({ status: 'only_a', renumbered: false, b: null });
    expect(row('amnesty').diff).toEqual([{ op: 'delete', text: 'Full amnesty for all parties.' }]);
  });

  it('shows a split from both sides', () => {
    expect(row('army_size').lineage).toEqual([{ pointId: 'army', kind: 'split' }]);
    expect(row('army_arms').lineage).toEqual([{ pointId: 'army', kind: 'split' }]);
    const fromParent = [...row('army').lineage].sort((x, y) => x.pointId.localeCompare(y.pointId));
    expect(fromParent).toEqual([
      { pointId: 'army_arms', kind: 'split' },
      { pointId: 'army_size', kind: 'split' },
    ]);
  });

  it('shows a merge into a point both documents keep, from both sides', () => {
    expect(row('sanctions').lineage).toEqual([{ pointId: 'amnesty', kind: 'merge' }]);
    expect(row('amnesty').lineage).toEqual([{ pointId: 'sanctions', kind: 'merge' }]);
  });

  it('leaves out points that have no lineage to the other document', () => {
    expect(row('ceasefire').lineage).toEqual([]);
    expect(row('nato').lineage).toEqual([]);
  });

  it('compares a document with itself as all same', () => {
    const self = compareDocuments(a, a, points);
    expect(self.summary).toEqual({ same: 5, changed: 0, only_a: 0, only_b: 0 });
    expect(self.rows.map((r) => r.a?.number)).toEqual(['1', '2', '3', '4', '9']);
    expect(self.rows.every((r) => !r.renumbered && r.lineage.length === 0)).toBe(true);
  });

  it('falls back to an empty title for an unknown point', () => {
    const lone: DocSide = { id: 'x', title: 'X', provisions: [{ pointId: 'mystery', number: '1', text: 't' }] };
    expect(compareDocuments(lone, { id: 'y', title: 'Y', provisions: [] }, points).rows).toEqual([
      {
        pointId: 'mystery',
        pointTitle: '',
        status: 'only_a',
        renumbered: false,
        a: { number: '1', text: 't' },
        b: null,
        diff: [{ op: 'delete', text: 't' }],
        lineage: [],
      },
    ]);
  });
});
