import { Email, PASSWORD_MIN_LENGTH, PasswordChange } from './auth';

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

describe('PasswordChange', () => {
  it('needs the current password and a new one of the minimum length that differs from it', () => {
    const long = 'n'.repeat(PASSWORD_MIN_LENGTH);
    expect(PasswordChange.safeParse({ currentPassword: 'old', newPassword: long }).success).toBe(true);
    const short = PasswordChange.safeParse({ currentPassword: 'old', newPassword: long.slice(1) });
    expect(short.success ? [] : short.error.issues.map((i) => i.path.join('.'))).toEqual(['newPassword']);
    const same = PasswordChange.safeParse({ currentPassword: long, newPassword: long });
    expect(same.success ? null : same.error.issues[0]?.message).toBe('must differ from the current password');
    expect(PasswordChange.safeParse({ currentPassword: '', newPassword: long }).success).toBe(false);
    expect(PasswordChange.safeParse({ currentPassword: 'old', newPassword: long, extra: 1 }).success).toBe(false);
  });
});
