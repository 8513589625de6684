import './register-paths';
import { ConfigError, loadConfig } from './config/app-config';
import { beginShutdown, createApp, loadDemoIfEmpty } from './bootstrap';
import { DatabaseOpenError } from './database/db.service';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  if (config.loadDemo && (await loadDemoIfEmpty(app))) {
    console.log('Loaded the demo negotiation into the empty database.');
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping (finishing in-flight requests, closing the database)…`);
    const force = setTimeout(() => {
      console.error(`Could not stop within ${config.shutdownTimeoutMs} ms; exiting.`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    beginShutdown(app);
    app.close().then(
      () => {
        clearTimeout(force);
        console.log('Parley stopped.');
        process.exit(0);
      },
      (err: unknown) => {
        console.error('Error while stopping:', err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen({ port: config.port, host: config.host });
  const where = config.database.driver === 'sqlite' ? config.database.path : 'PostgreSQL';
  console.log(`Parley is running at http://localhost:${config.port} (API docs: http://localhost:${config.port}/api/docs; data: ${where})`);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof DatabaseOpenError ? err.message : err);
  process.exit(1);
});
