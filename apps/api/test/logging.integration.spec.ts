import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { ADMIN, freshDatabase } from './harness';

interface LogLine {
  level: number;
  msg?: string;
  context?: string;
  res?: Record<string, unknown>;
  req?: { url?: string };
}

describe('what the logs hold', () => {
  it("puts Nest's route and module lines at debug level, and request lines without response headers", async () => {
    const written: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => written.push(chunk.toString()));
    const database = await freshDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-logging-'));
    const app = await createApp(
      { ...loadConfig({ LOG_LEVEL: 'debug', DATA_DIR: dataDir, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }), database: database.config },
      { logDestination: stream },
    );
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.getHttpServer().address() as { port: number };
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
      const lines = written.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as LogLine);

      const wiring = lines.filter((l) => ['RoutesResolver', 'RouterExplorer', 'InstanceLoader'].includes(l.context ?? ''));
      expect(wiring.some((l) => l.msg?.startsWith('Mapped {/api/health, GET}'))).toBe(true); // the capture works
      expect(wiring.filter((l) => l.level !== 20)).toEqual([]);
      expect(lines.find((l) => l.msg === 'Nest application successfully started')?.level).toBe(30);

      const request = lines.find((l) => l.req?.url === '/api/health');
      expect(request?.res).toEqual({ statusCode: 200 });
    } finally {
      await app.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
