import './register-paths';
import { runCli } from './cli/commands';
import { ConfigError, loadConfig, loadEnvFile } from './config/app-config';

async function main(): Promise<number> {
  loadEnvFile();
  return runCli(
    process.argv.slice(2),
    loadConfig(),
    (line) => console.log(line),
    (line) => console.error(line),
  );
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
