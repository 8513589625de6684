import { withoutSecrets } from './redact';

describe('withoutSecrets: URLs as logged', () => {
  it.each([
    ['/api/negotiations/x/matrix?share=pls_abc123', '/api/negotiations/x/matrix?share=[redacted]'],
    ['/api/negotiations/x/matrix?asOf=2025-12-01&SHARE=pls_abc&knownAt=2025-12-02', '/api/negotiations/x/matrix?asOf=2025-12-01&SHARE=[redacted]&knownAt=2025-12-02'],
    ['/x?token=abc&password=hunter22&access_token=xyz#frag', '/x?token=[redacted]&password=[redacted]&access_token=[redacted]#frag'],
    // A credential under any other name is recognised by its form.
    ['/x?key=plt_0123456789&q=1', '/x?key=[redacted]&q=1'],
    ['/x?auth=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig', '/x?auth=[redacted]'],
  ])('%s → %s', (url, logged) => {
    expect(withoutSecrets(url)).toBe(logged);
  });

  it('leaves URLs without secrets alone', () => {
    for (const url of ['/api/negotiations?limit=5', '/api/negotiations/share-links', '/api/negotiations/x/matrix?q=shares']) expect(withoutSecrets(url)).toBe(url);
  });
});
