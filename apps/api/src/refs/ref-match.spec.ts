import { matchRef } from './ref-match';

const RU = { id: '0190a0b0-0000-7000-8000-000000000001', code: 'RU' };
const RU2 = { id: '0190a0b0-0000-7000-8000-000000000002', code: 'Ru' };
const UA = { id: '0190a0b0-0000-7000-8000-000000000003', code: 'UA' };
/** A code that looks like an id (codes may): found as a code when no row has that id. */
const ODD = { id: '0190a0b0-0000-7000-8000-000000000004', code: '0190a0b0-0000-7000-8000-000000000003' };

describe('matchRef: a reference to one row', () => {
  it.each([
    ['an id', [RU, UA], RU.id, { id: RU.id }],
    ['an id in capitals', [RU, UA], RU.id.toUpperCase(), { id: RU.id }],
    ['a code as written', [RU, UA], 'UA', { id: UA.id }],
    ['a code in another case', [RU, UA], 'ua', { id: UA.id }],
    ['the exact code among two alike', [RU, RU2], 'Ru', { id: RU2.id }],
    ['two alike and neither exact', [RU, RU2], 'ru', { ambiguous: [RU, RU2] }],
    ['an unknown code', [RU, UA], 'NATO', null],
    ['an unknown id', [RU, UA], '00000000-0000-4000-8000-000000000000', null],
    ['no code shape', [RU, UA], 'R U', null],
    ['an id first, before a code that looks like it', [UA, ODD], UA.id, { id: UA.id }],
    ['an id-shaped code when no row has that id', [ODD], ODD.code, { id: ODD.id }],
  ] as const)('%s', (_name, rows, ref, expected) => {
    expect(matchRef(rows, ref)).toEqual(expected);
  });
});
