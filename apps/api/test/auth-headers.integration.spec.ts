import { seed, stance, startApp } from './harness';

describe('headers, CORS and public reads', () => {
  it('sends a Content-Security-Policy, keeps CORS closed by default, and lets anyone read but not write in public mode', async () => {
    const t = await startApp();
    try {
      const res = await fetch(`${t.url}/api/health`, { headers: { origin: 'https://evil.example' } });
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const s = await seed(t);
      expect((await t.as(null).get(`/api/negotiations/${s.negotiationId}/matrix`)).status).toBe(200);
      const write = await t.as(null).post(`/api/negotiations/${s.negotiationId}/stances`, stance(s.parties[0].id, s.points[0].id));
      expect(write.status).toBe(401);
      // Access is decided before the body is validated: a stranger learns nothing of the schema.
      expect((await t.as(null).post(`/api/negotiations/${s.negotiationId}/stances`, { position: 42 })).status).toBe(401);
      const viewer = await t.user('viewer');
      expect((await t.as(viewer.token).post(`/api/negotiations/${s.negotiationId}/stances`, stance(s.parties[0].id, s.points[0].id))).status).toBe(403);
    } finally {
      await t.close();
    }
  });

  it('lets no site frame the dashboard by default, and sends the security headers with every answer', async () => {
    const t = await startApp();
    try {
      // An API answer, the dashboard (404 where it is not built), an unknown route and a refused body.
      const answers = [
        await fetch(`${t.url}/api/health`),
        await fetch(`${t.url}/`),
        await fetch(`${t.url}/api/no-such-route`),
        await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      ];
      expect(answers.map((res) => res.status)).toEqual([200, expect.any(Number), 404, 400]);
      for (const res of answers) {
        expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(res.headers.get('strict-transport-security')).toContain('max-age=');
        expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      }
    } finally {
      await t.close();
    }
  });

  it('lets the sites in FRAME_ANCESTORS frame it (newsroom embeds), without X-Frame-Options', async () => {
    const t = await startApp({ FRAME_ANCESTORS: 'https://news.example.org,https://*.example.com' });
    try {
      for (const p of ['/api/health', '/']) {
        const res = await fetch(`${t.url}${p}`);
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp).toContain('frame-ancestors https://news.example.org https://*.example.com');
        expect(csp).not.toContain("frame-ancestors 'none'");
        // The rest of the policy is unchanged.
        expect(csp).toContain("script-src 'self'");
        expect(res.headers.get('x-frame-options')).toBeNull();
      }
    } finally {
      await t.close();
    }
  });

  it('opens CORS to the origins in CORS_ORIGINS only', async () => {
    const t = await startApp({ CORS_ORIGINS: 'https://news.example.org' });
    try {
      const allowed = await fetch(`${t.url}/api/health`, { headers: { origin: 'https://news.example.org' } });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://news.example.org');
      const other = await fetch(`${t.url}/api/health`, { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await t.close();
    }
  });
});
