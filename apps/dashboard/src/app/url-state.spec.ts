import { parseParams, patchSearch } from './url-state';

describe('url state', () => {
  it('reads the negotiation slug and a well-formed asOf day', () => {
    expect(parseParams('?n=ukraine-2025&asOf=2025-11-21')).toEqual({ n: 'ukraine-2025', asOf: '2025-11-21' });
  });

  it('ignores a malformed asOf and an empty slug', () => {
    expect(parseParams('?n=&asOf=21.11.2025')).toEqual({ n: null, asOf: null });
  });

  it('sets and removes keys, keeping the others', () => {
    expect(patchSearch('?n=a&x=1', { asOf: '2025-01-02' })).toBe('?n=a&x=1&asOf=2025-01-02');
    expect(patchSearch('?n=a&asOf=2025-01-02', { asOf: null })).toBe('?n=a');
    expect(patchSearch('?asOf=2025-01-02', { asOf: null })).toBe('');
  });
});
