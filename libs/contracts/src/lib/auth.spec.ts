import { Email } from './auth';

describe('Email', () => {
  it('accepts any syntactically valid address with a dot-separated domain, trimmed and lower-cased', () => {
    for (const ok of ['x@y.z', 'ana@example.org', 'first.last+tag@news.example.co.uk', "o'brien@a-b.c1", 'x@10.0.0.1']) {
      expect(Email.safeParse(ok).success).toBe(true);
    }
    expect(Email.parse('  Ana@Example.ORG ')).toBe('ana@example.org');
  });

  it('refuses what is not an address', () => {
    for (const bad of ['x@localhost', 'x@y', '@y.z', 'x@.z', 'x@y.', 'x@y..z', '.x@y.z', 'x.@y.z', 'x..y@z.w', 'x y@z.w', 'x@-y.z', 'x@y-.z', 'x@@y.z', 'xy.z']) {
      expect({ bad, ok: Email.safeParse(bad).success }).toEqual({ bad, ok: false });
    }
  });
});

