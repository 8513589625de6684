import './register-paths';
import { ConfigError, loadConfig, loadEnvFile } from './config/app-config';
import { beginShutdown, createApp, initialAdmin, loadDemoIfEmpty } from './bootstrap';
import { printAfterLogs } from './common/log-output';
import { DatabaseOpenError } from './database/db.service';
import { databaseFile } from './database/dialect';
import { StartError, ensureCanListen, listenRefusal, startBanner } from './start-up';

/** The same signal again within this time is the same Ctrl-C delivered twice (see stop). */
const SAME_SIGNAL_MS = 1000;

async function main(): Promise<void> {
  loadEnvFile();
  const config = loadConfig();
  // Before the database is opened: a port in use must not leave an admin whose password was shown
  // only in the refused start's output.
  await ensureCanListen(config.port, config.host);
  const app = await createApp(config);

  // Installed before the demo load and before listening, so a Ctrl-C at any point from here on
  // stops cleanly: queued writes (the demo is one transaction) finish or roll back, never half-done.
  let stopping = false;
  let last: { signal: NodeJS.Signals; at: number } | undefined;
  const stop = (signal: NodeJS.Signals) => {
    const repeated = last?.signal === signal && Date.now() - last.at < SAME_SIGNAL_MS;
    last = { signal, at: Date.now() };
    if (stopping) {
      // npm forwards the terminal's Ctrl-C to its child, which so gets it twice: not worth a line.
      if (repeated) return;
      // A second Ctrl-C does not cut the drain short (that is what could lose an acknowledged write);
      // the shutdown timeout bounds it, and SIGKILL remains for the impatient.
      console.log(`${signal}: still stopping (finishing in-flight requests, closing the database; at most ${config.shutdownTimeoutMs} ms)…`);
      return;
    }
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
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  if (config.loadDemo) {
    let loaded: boolean;
    try {
      loaded = await loadDemoIfEmpty(app, () => console.log('Loading the demo negotiation into the empty database…'));
    } catch (err) {
      if (stopping) return; // the database closed under it; the stop in progress reports and exits
      throw err;
    }
    if (loaded) console.log('Loaded the demo negotiation.');
  }
  if (stopping) return;
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    // Taken since ensureCanListen looked (another start at the same moment).
    const code = (err as NodeJS.ErrnoException).code;
    throw code ? await listenRefusal(code, config.port, config.host) : err;
  }
  const { port } = app.getHttpServer().address() as { port: number };
  const host = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.host) ? 'localhost' : config.host;
  const where = databaseFile(config.database) ?? 'PostgreSQL';
  // The last lines of the start, after Nest's own (written through the same buffered output).
  printAfterLogs(startBanner(`http://${host.includes(':') ? `[${host}]` : host}:${port}`, where, initialAdmin(app)));
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof DatabaseOpenError || err instanceof StartError ? err.message : err);
  process.exit(1);
});
