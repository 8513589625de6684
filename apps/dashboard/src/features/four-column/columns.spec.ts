import { planDocument, point } from '../../testing/fixtures';
import { chosenDocuments, docsParam, documentsAsOf, linkText, rowOrder } from './columns';

const points = new Map(
  [
    point('a', 'p01', 'A'),
    point('b', 'p02', 'B'),
    point('c', 'p03', 'C'),
    point('m', 'p29', 'Merged', [{ pointId: 'a', kind: 'merge' }, { pointId: 'c', kind: 'merge' }]),
    point('s1', 'p30', 'Split one', [{ pointId: 'a', kind: 'split' }]),
    point('s2', 'p31', 'Split two', [{ pointId: 'a', kind: 'split' }]),
    point('x', 'p40', 'Orphan'),
  ].map((p) => [p.id, p]),
);
const first = planDocument('d1', 'One', '2025-11-20', [['a', '1', 'A'], ['b', '2', 'B'], ['c', '3', 'C']]);
const second = planDocument('d2', 'Two', '2025-11-23', [['x', '1', 'X'], ['s1', '2', 'S1'], ['m', '3', 'M'], ['s2', '4', 'S2']]);

describe('four-column rows and columns', () => {
  it('orders rows by the first text; a later point follows its lowest parent, after that parent’s earlier children; one without a parent goes last', () => {
    expect(rowOrder([first, second], points).map((id) => points.get(id)!.code)).toEqual(['p01', 'p30', 'p31', 'p02', 'p03', 'p29', 'p40']);
  });

  it('keeps the documents published by the as-of day, the chosen ones in publication order, and leaves the default out of the URL', () => {
    expect(documentsAsOf([first, second], '2025-11-22').map((d) => d.id)).toEqual(['d1']);
    expect(documentsAsOf([first, second], null).map((d) => d.id)).toEqual(['d1', 'd2']);
    expect(chosenDocuments([first, second], 'd2,zz').map((d) => d.id)).toEqual(['d2']);
    // Nothing chosen exists at that date: every document is shown rather than none.
    expect(chosenDocuments([first], 'd2').map((d) => d.id)).toEqual(['d1']);
    expect(docsParam([first, second], new Set(['d2', 'd1']))).toBeNull();
    expect(docsParam([first, second], new Set(['d2']))).toBe('d2');
  });

  it('words lineage by kind and direction', () => {
    expect(
      linkText([
        { pointId: 'a', code: 'p05', kind: 'split', direction: 'from' },
        { pointId: 'b', code: 'p10', kind: 'split', direction: 'from' },
        { pointId: 'm', code: 'p29', kind: 'merge', direction: 'into' },
      ]),
    ).toEqual(['split from p05, p10', 'merged into p29']);
    // The parents in their natural order whatever order the API gives them in (seen both ways).
    expect(
      linkText([
        { pointId: 'b', code: 'p10', kind: 'split', direction: 'from' },
        { pointId: 'c', code: 'p9', kind: 'split', direction: 'from' },
        { pointId: 'a', code: 'p05', kind: 'split', direction: 'from' },
      ]),
    ).toEqual(['split from p05, p9, p10']);
  });
});
