import * as net from 'node:net';
import * as path from 'node:path';
import { StartError, adminLines, ensureCanListen, startBanner } from './start-up';

function listening(host: string): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen({ port: 0, host }, () => resolve(server));
  });
}

describe('ensureCanListen: a port in use is one line, before anything is written', () => {
  it('refuses a port another program listens on with one line naming PORT and a free one', async () => {
    const other = await listening('127.0.0.1');
    const { port } = other.address() as net.AddressInfo;
    try {
      const refusal = await ensureCanListen(port, '127.0.0.1').then(
        () => null,
        (err: unknown) => err,
      );
      expect(refusal).toBeInstanceOf(StartError);
      const message = (refusal as StartError).message;
      expect(message).toMatch(new RegExp(`^PORT ${port} is in use; set PORT=(\\d+) \\(free now\\)`));
      expect(message).not.toContain('\n');
      const suggested = Number(/set PORT=(\d+)/.exec(message)![1]);
      expect(suggested).not.toBe(port);
      await expect(ensureCanListen(suggested, '127.0.0.1')).resolves.toBeUndefined();
    } finally {
      other.close();
    }
  });

  it('lets a free port through, and leaves it free for the server', async () => {
    const probe = await listening('127.0.0.1');
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((r) => probe.close(r));
    await ensureCanListen(port, '127.0.0.1');
    const server = await new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen({ port, host: '127.0.0.1' }, () => resolve(s));
    });
    server.close();
  });

  it('names HOST when it is not an address of this machine', async () => {
    await expect(ensureCanListen(3000, '192.0.2.1')).rejects.toThrow(/^HOST=192\.0\.2\.1 is not an address of this machine/);
  });
});

describe('the start-up banner', () => {
  const file = path.join(process.cwd(), 'data', 'initial-admin-password.txt');

  it('on the first start: the address, the new admin with its password, where the password file is', () => {
    expect(startBanner('http://localhost:3000', 'data/parley.sqlite', { created: { email: 'admin@parley.local', password: 'pw-123' }, passwordFile: file })).toEqual([
      'Parley is running at http://localhost:3000 (API docs: http://localhost:3000/api/docs; data: data/parley.sqlite)',
      'Created the first admin account: admin@parley.local / pw-123',
      `The first admin's password is in .${path.sep}${path.join('data', 'initial-admin-password.txt')} until they change it (delete the file once it has been changed elsewhere).`,
    ]);
  });

  it('on later starts: where the password file is while it exists, nothing once it is gone', () => {
    expect(adminLines({ created: null, passwordFile: '/srv/parley/initial-admin-password.txt' })).toEqual([
      "The first admin's password is in /srv/parley/initial-admin-password.txt until they change it (delete the file once it has been changed elsewhere).",
    ]);
    expect(adminLines({ created: null, passwordFile: null })).toEqual([]);
  });

  it('an admin from ADMIN_EMAIL/ADMIN_PASSWORD: named, its password not printed', () => {
    expect(adminLines({ created: { email: 'ops@example.org', password: null }, passwordFile: null })).toEqual(['Created the first admin account: ops@example.org / (the password in ADMIN_PASSWORD)']);
  });
});
