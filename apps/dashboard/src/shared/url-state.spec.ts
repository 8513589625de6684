import { parseParams, patchSearch } from './url-state';

describe('url state', () => {
  it('reads the negotiation slug and a well-formed asOf day', () => {
    expect(parseParams('?n=ukraine-2025&asOf=2025-11-21')).toMatchObject({ n: 'ukraine-2025', asOf: '2025-11-21' });
  });

  it('ignores a malformed asOf and an empty slug', () => {
    expect(parseParams('?n=&asOf=21.11.2025')).toMatchObject({ n: null, asOf: null });
  });

  it('sets and removes keys, keeping the others', () => {
    expect(patchSearch('?n=a&x=1', { asOf: '2025-01-02' })).toBe('?n=a&x=1&asOf=2025-01-02');
    expect(patchSearch('?n=a&asOf=2025-01-02', { asOf: null })).toBe('?n=a');
    expect(patchSearch('?asOf=2025-01-02', { asOf: null })).toBe('');
  });

  it('reads the view, the open point, the party, knownAt and big-screen mode', () => {
    expect(parseParams('?view=party&party=ru&point=p7&knownAt=2025-11-22T14:00Z&screen=big')).toEqual({
      n: null,
      asOf: null,
      knownAt: '2025-11-22T14:00Z',
      view: 'party',
      point: 'p7',
      party: 'ru',
      screen: 'big',
      cat: null,
      status: null,
      parties: null,
      q: null,
      doc: null,
      source: null,
      srcQ: null,
      srcKind: null,
      srcOutlet: null,
      srcSort: null,
      docs: null,
      milestone: null,
      proposal: null,
      rvAuthor: null,
      rvParty: null,
      rvPoint: null,
    });
  });

  it('reads the review queue, its selected proposal and its filters (author, party, point)', () => {
    expect(parseParams('?view=review&proposal=%20p-1%20&rvAuthor=ana%40example.org&rvParty=ua&rvPoint=p6')).toMatchObject({
      view: 'review',
      proposal: 'p-1',
      rvAuthor: 'ana@example.org',
      rvParty: 'ua',
      rvPoint: 'p6',
    });
    expect(parseParams('?rvAuthor=&rvParty=')).toMatchObject({ rvAuthor: null, rvParty: null });
    expect(patchSearch('?n=a&view=review&rvParty=ua', { rvParty: null, view: 'matrix' })).toBe('?n=a');
  });

  it('reads the four-column view’s documents and the open milestone page (Back closes it)', () => {
    expect(parseParams('?view=columns&docs=%20d1,d3%20&milestone=m-6')).toMatchObject({ view: 'columns', docs: 'd1,d3', milestone: 'm-6' });
    expect(parseParams('?docs=&milestone=')).toMatchObject({ docs: null, milestone: null });
    expect(patchSearch('?n=a&milestone=m-6', { milestone: null })).toBe('?n=a');
  });

  it('reads the sources view and the source whose panel is open (a shareable link; back closes it)', () => {
    expect(parseParams('?view=sources&source=%20s-42%20')).toMatchObject({ view: 'sources', source: 's-42' });
    expect(parseParams('?source=')).toMatchObject({ source: null });
    expect(patchSearch('?n=a&source=s-42', { source: null })).toBe('?n=a');
    expect(patchSearch('?n=a', { source: 's-42' })).toBe('?n=a&source=s-42');
  });

  it('reads the sources view’s filters and order, dropping an unknown kind or order', () => {
    expect(parseParams('?view=sources&srcQ=%D0%BC%D0%B8%D0%B4%20&srcKind=interview&srcOutlet=TASS&srcSort=oldest')).toMatchObject({ srcQ: 'мид ', srcKind: 'interview', srcOutlet: 'TASS', srcSort: 'oldest' });
    expect(parseParams('?srcKind=rumour&srcSort=newest')).toMatchObject({ srcKind: null, srcSort: null });
  });

  it('falls back to the matrix for an unknown view and drops a malformed knownAt', () => {
    const p = parseParams('?view=pie&knownAt=yesterday&screen=huge');
    expect(p.view).toBe('matrix');
    expect(p.knownAt).toBeNull();
    expect(p.screen).toBeNull();
  });

  it('leaves the default view out of the URL', () => {
    expect(patchSearch('?n=a&view=trends', { view: 'matrix' })).toBe('?n=a');
    expect(patchSearch('?n=a', { view: 'activity' })).toBe('?n=a&view=activity');
  });
});
