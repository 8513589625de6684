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
  it('takes a source by id, or inline, or none ({}), but not id and inline fields together', () => {
    const id = '0190a0b0-0000-7000-8000-000000000001';
    expect(StanceCreate.safeParse({ ...valid, source: { id } }).success).toBe(true);
    expect(StanceCreate.safeParse({ ...valid, source: { title: 'x', kind: 'interview', language: 'pt-BR' } }).success).toBe(true);
    expect(StanceCreate.safeParse({ ...valid, source: {} }).success).toBe(true);
    const both = StanceCreate.safeParse({ ...valid, source: { id, outlet: 'Reuters' } });
    expect(both.error?.issues[0]).toMatchObject({ path: ['source', 'id'] });
    expect(both.error?.issues[0].message).toContain('either id or the inline fields');
  });
  it('takes a quote with its language and a translation, but neither language nor translation without what it belongs to', () => {
    expect(StanceCreate.safeParse({ ...valid, quote: 'Нет', quoteLanguage: 'ru', translation: 'No', translationLanguage: 'en' }).success).toBe(true);
    expect(StanceCreate.safeParse({ ...valid, translation: 'No' }).error?.issues[0]).toMatchObject({ path: ['translation'], message: 'needs a quote' });
    expect(StanceCreate.safeParse({ ...valid, quote: 'Нет', translationLanguage: 'en' }).error?.issues[0]).toMatchObject({ path: ['translationLanguage'], message: 'needs a translation' });
  });
  it('refuses a source with only a kind or a language, an unknown kind and a malformed language tag', () => {
    expect(StanceCreate.safeParse({ ...valid, source: { kind: 'leak' } }).error?.issues[0]).toMatchObject({ path: ['source'] });
    expect(StanceCreate.safeParse({ ...valid, source: { outlet: 'R', kind: 'rumour' } }).error?.issues[0]).toMatchObject({ path: ['source', 'kind'] });
    expect(StanceCreate.safeParse({ ...valid, source: { outlet: 'R', language: 'english' } }).error?.issues[0]).toMatchObject({
      path: ['source', 'language'],
      message: 'must be a BCP-47 language tag like en, uk or pt-BR',
    });
  });
  it('refuses a javascript: source url', () => {
    expect(StanceCreate.safeParse({ ...valid, source: { url: 'javascript:alert(1)' } }).success).toBe(false);
  });
});
