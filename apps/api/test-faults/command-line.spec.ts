import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { installation, type Installation } from './harness';

const CLI = path.resolve(__dirname, '../../../dist/api/apps/api/src/cli.js');

/** The built command line (what `npm run parley -- …` runs after building), its two outputs apart. */
function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env, LOG_LEVEL: 'warn' } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('the command line', () => {
  let inst: Installation;

  beforeAll(async () => {
    inst = await installation('sqlite');
  });

  afterAll(async () => {
    await inst?.drop();
  });

  it.each([
    [['frobnicate'], "Unknown command 'frobnicate'"],
    [[], 'Usage:'],
    [['export', 'ukraine-peace-2025', '--fromat', 'pdf'], "Unknown option '--fromat'"],
    [['export', 'ukraine-peace-2025', '--format'], "Option '--format <value>' argument missing"],
    [['user:create', '--email'], "Option '--email <value>' argument missing"],
    [['migrate', '--force'], "Unknown option '--force'"],
    [['demo:load', 'now'], "Unexpected argument 'now'"],
  ])('answers %j with what is wrong and the usage on stderr, exit code 2, and nothing on stdout', async (args, problem) => {
    const { code, stdout, stderr } = await cli(inst.env, ...args);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain(problem);
    expect(stderr).toContain('Usage: npm run parley -- <command> [options]');
  });

  it('leaves no file behind when an export fails, and writes the whole file when it works', async () => {
    expect((await cli(inst.env, 'demo:load')).code).toBe(0);
    const folder = path.join(inst.dir, 'exports');
    fs.mkdirSync(folder);

    const failed = await cli(inst.env, 'export', 'no-such-negotiation', '--format', 'pdf', '--out', path.join(folder, 'briefing.pdf'));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('no-such-negotiation');
    expect(fs.readdirSync(folder)).toEqual([]);

    // An earlier file of the same name stays as it was.
    fs.writeFileSync(path.join(folder, 'briefing.pdf'), 'the earlier briefing');
    expect((await cli(inst.env, 'export', 'no-such-negotiation', '--format', 'pdf', '--out', path.join(folder, 'briefing.pdf'))).code).toBe(1);
    expect(fs.readdirSync(folder)).toEqual(['briefing.pdf']);
    expect(fs.readFileSync(path.join(folder, 'briefing.pdf'), 'utf8')).toBe('the earlier briefing');

    const written = await cli(inst.env, 'export', 'ukraine-peace-2025', '--format', 'md', '--out', path.join(folder, 'digest.md'));
    expect(written.code).toBe(0);
    expect(written.stdout).toMatch(/^Wrote .*digest\.md \(\d+ bytes\)\n$/);
    expect(fs.readdirSync(folder).sort()).toEqual(['briefing.pdf', 'digest.md']);
    expect(fs.readFileSync(path.join(folder, 'digest.md'), 'utf8')).toContain('#');
  });
});
