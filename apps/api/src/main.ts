import './register-paths';
import { ConfigError, loadConfig } from './config/app-config';
import { createApp, loadDemoIfEmpty } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  if (config.loadDemo && (await loadDemoIfEmpty(app))) {
    console.log('Loaded the demo negotiation into the empty database.');
  }
  await app.listen({ port: config.port, host: config.host });
  const where = config.database.driver === 'sqlite' ? config.database.path : 'PostgreSQL';
  console.log(`Parley is running at http://localhost:${config.port} (API docs: http://localhost:${config.port}/api/docs; data: ${where})`);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
