import { withoutSecrets } from './redact';

describe('withoutSecrets: URLs as logged', () => {
  it.each([
    ['/api/negotiations/x/matrix?share=pls_abc123', '/api/negotiations/x/matrix?share=[redacted]'],
    ['/api/negotiations/x/matrix?asOf=2025-12-01&SHARE=pls_abc&knownAt=2025-12-02', '/api/negotiations/x/matrix?asOf=2025-12-01&SHARE=[redacted]&knownAt=2025-12-02'],
    ['/x?token=abc&password=hunter22&access_token=xyz#frag', '/x?token=[redacted]&password=[redacted]&access_token=[redacted]#frag'],
    // A credential under any other name is recognised by its form.
    ['/x?key=plt_0123456789&q=1', '/x?key=[redacted]&q=1'],
    ['/x?auth=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig', '/x?auth=[redacted]'],
    // Names and values are read decoded, as the query parser reads them.
    ['/x/matrix?sh%61re=pls_abc123', '/x/matrix?sh%61re=[redacted]'],
    ['/x/matrix?%73hare=pls_abc123&q=1', '/x/matrix?%73hare=[redacted]&q=1'],
    ['/x/matrix?%73H%41rE=pls_abc123', '/x/matrix?%73H%41rE=[redacted]'],
    ['/x?t%6Fken=abc&p%61ssword=hunter22', '/x?t%6Fken=[redacted]&p%61ssword=[redacted]'],
    ['/x?sh%2561re=pls_abc123', '/x?sh%2561re=[redacted]'], // encoded twice
    ['/x?share+=abc', '/x?share+=[redacted]'],
    ['/x?key=%70ls_abc123', '/x?key=[redacted]'],
    ['/x?key=%70%6Ct_abc123&q=%E0%A4%A', '/x?key=[redacted]&q=%E0%A4%A'],
    ['/x?key=%65yJhbGciOiJIUzI1NiJ9', '/x?key=[redacted]'],
    // A credential as a bare name, or pasted into the path.
    ['/x?pls_abc123', '/x?[redacted]'],
    ['/x?pls_abc123=1', '/x?[redacted]'],
    ['/api/negotiations/%70ls_abc123/matrix', '/api/negotiations/[redacted]/matrix'],
  ])('%s → %s', (url, logged) => {
    expect(withoutSecrets(url)).toBe(logged);
  });

  it('leaves URLs without secrets alone', () => {
    for (const url of ['/api/negotiations?limit=5', '/api/negotiations/share-links', '/api/negotiations/x/matrix?q=shares', '/x?share', '/x?q=%E0%A4%A&a=b+c', '/api/negotiations/keyJudgments/matrix']) {
      expect(withoutSecrets(url)).toBe(url);
    }
  });
});
