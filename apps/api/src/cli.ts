import './register-paths';
import { ConfigError, loadConfig } from './config/app-config';
import { createApp } from './bootstrap';
import { Db } from './database/db.service';
import { DemoLoader } from './demo/demo-loader.service';
import { UKRAINE_2025 } from './demo/ukraine-2025';

const USAGE = `Usage: node cli.js <command>
  migrate     apply pending database migrations
  demo:load   load the demo negotiation (does nothing if it is already there)`;

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  const config = { ...loadConfig(), logLevel: 'warn' as const };
  switch (command) {
    case 'migrate': {
      const db = await Db.open(config.database);
      const { applied, pending } = await db.pendingMigrations();
      await db.close();
      console.log(`Migrations applied: ${applied}, pending: ${pending}`);
      return 0;
    }
    case 'demo:load': {
      const app = await createApp(config);
      try {
        const result = await app.get(DemoLoader).load(UKRAINE_2025);
        console.log(result === 'loaded' ? 'Demo negotiation loaded.' : 'Demo negotiation already present; nothing changed.');
      } finally {
        await app.close();
      }
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);
