import { DateInput, POSITION_SCORE, POSITIONS, StanceCreate } from '../index';

const valid = {
  partyId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  pointId: '16fd2706-8baf-433b-82eb-8c7fada847da',
  position: 'conditional',
  confidence: 'reported',
  effectiveAt: '2025-11-21',
  source: { outlet: 'Reuters' },
};

describe('position scale', () => {
  it('is ordered from most to least favourable, with the brief’s scores', () => {
    expect(POSITIONS.map((p) => POSITION_SCORE[p])).toEqual([2, 1, 0, 0, -1, -2]);
  });
});

describe('DateInput', () => {
  it.each(['2025-11-21', '2025-11-21T14:30:00Z', '2025-11-21T14:30:00.123+02:00', '2025-11-21T14:30Z', '2024-02-29', '2000-02-29', '2025-12-31', '0001-01-01'])('accepts %s', (v) => {
    expect(DateInput.safeParse(v).success).toBe(true);
  });
  it.each([
    '2025-02-30', '2025-02-29', '1900-02-29', '2025-04-31', '2025-00-10', '2025-01-00', '2025-01-32', '2025-02-29T10:00:00Z',
    '2025-11-21T25:00:00Z', '2025-11-21T14:30:00', '21/11/2025', 'yesterday', '2025-13-01', '',
  ])('refuses %s', (v) => {
    expect(DateInput.safeParse(v).success).toBe(false);
  });
});

describe('StanceCreate', () => {
  it('accepts a minimal stance', () => {
    expect(StanceCreate.parse(valid)).toEqual(valid);
  });
  it('refuses unknown fields, naming them', () => {
    const result = StanceCreate.safeParse({ ...valid, recordedBy: 'me' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['recordedBy'] });
  });
  it('needs a source with a url or an outlet', () => {
    const result = StanceCreate.safeParse({ ...valid, source: { title: 'x' } });
    expect(result.error?.issues[0]).toMatchObject({ path: ['source'], message: 'needs at least a url or an outlet' });
  });
  it('refuses a javascript: source url', () => {
    expect(StanceCreate.safeParse({ ...valid, source: { url: 'javascript:alert(1)' } }).success).toBe(false);
  });
});
