// npm run bench [-- scenario…] — runs the benchmark scenarios (all of them, or the ones named) one
// after another, each as its own `npm run bench:<scenario>` child process, and writes each one's
// figures into docs/benchmarks.md between its markers, replacing that scenario's previous figures
// only (the prose around the markers stays).
//
// Convention (BENCH_RESULT): a scenario prints, as its last line of figures, one line
//   BENCH_RESULT {"scenario":"write","markdown":"| … |\n|---|…","targets":[…],"notes":[…]}
// `markdown`: the figures with the baseline measured in the same run and the ratio (a table).
// `targets` (optional): [{ "what": "…", "target": "≥ 1,000 writes/s", "value": "…", "met": true }].
// `notes` (optional): short lines printed under the table. Anything else (e.g. `data` with the raw
// numbers) is kept out of the document. A scenario may print several BENCH_RESULT lines (e.g. one per
// database); they are written one after another.
//
// Markers in docs/benchmarks.md, each on a line of its own: <!-- bench:write --> … <!-- /bench:write -->.
// A scenario without markers gets a new section at the end of the document.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOC = join(ROOT, 'docs/benchmarks.md');
const SCENARIOS = ['write', 'batch', 'matrix', 'metrics', 'search', 'live', 'export', 'dashboard'];
/**
 * Sizes the runner uses, so that `npm run bench` ends in about 10 minutes on a 2-core machine; a
 * variable already set in the environment wins. The scripts run alone keep their own (larger) defaults.
 */
const SUITE_ENV = {
  export: { BENCH_SIZES: process.env.BENCH_EXPORT_SIZES ?? '10000,100000' },
};
/**
 * The matrix and metrics scenarios both read a synthetic history of a million events (1–2 minutes
 * to write): within one suite run they share it through a temporary BENCH_DB_DIR, removed at the
 * end (a BENCH_DB_DIR set by the caller is used as it is, and kept).
 */
const sharedHistories = process.env.BENCH_DB_DIR ? null : mkdtempSync(join(tmpdir(), 'parley-bench-histories-'));
if (sharedHistories) for (const scenario of ['matrix', 'metrics']) SUITE_ENV[scenario] = { ...SUITE_ENV[scenario], BENCH_DB_DIR: sharedHistories };

const prefix = 'BENCH_RESULT ';
const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts ?? {};
const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((a) => !SCENARIOS.includes(a));
if (unknown.length > 0) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; the scenarios are: ${SCENARIOS.join(', ')}`);
  process.exit(2);
}
const chosen = asked.length > 0 ? asked : SCENARIOS;

const load = () => loadavg().map((x) => x.toFixed(1)).join(' / ');
const machine = `${cpus().length} cores (${cpus()[0]?.model?.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
console.log(`machine: ${machine}; load average (1/5/15 min) ${load()}`);
console.log('Absolute numbers vary between machines and with the load of other processes: compare the ratios to the baselines measured in the same run.');

function run(scenario) {
  return new Promise((resolve) => {
    const started = Date.now();
    const loadBefore = load();
    const env = { ...process.env, ...withoutSet(SUITE_ENV[scenario] ?? {}) };
    const child = spawn('npm', ['run', '--silent', `bench:${scenario}`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const results = [];
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith(prefix)) {
          try {
            results.push(JSON.parse(line.slice(prefix.length)));
          } catch (err) {
            console.error(`[${scenario}] unreadable BENCH_RESULT line: ${String(err)}`);
          }
        } else {
          console.log(`[${scenario}] ${line}`);
        }
      }
    });
    child.on('close', (code) => resolve({ scenario, code: code ?? 1, results, seconds: (Date.now() - started) / 1000, loadBefore, loadAfter: load() }));
  });
}

function withoutSet(env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => process.env[k] === undefined));
}

function render(outcome) {
  const date = new Date().toISOString().slice(0, 10);
  const lines = [
    `Run of ${date} (\`npm run bench -- ${outcome.scenario}\`, ${outcome.seconds.toFixed(0)} s): ${machine}; load average ${outcome.loadBefore} before, ${outcome.loadAfter} after.`,
    '',
  ];
  for (const r of outcome.results) {
    if (r.title) lines.push(`**${r.title}**`, '');
    lines.push(String(r.markdown ?? '').trim(), '');
    for (const t of r.targets ?? []) lines.push(`- Target ${t.what}: ${t.target} — measured ${t.value}: **${t.met ? 'met' : 'not met'}**.`);
    for (const n of r.notes ?? []) lines.push(`- ${n}`);
    if ((r.targets ?? []).length + (r.notes ?? []).length > 0) lines.push('');
  }
  return lines.join('\n').trim();
}

function lineIndex(doc, line, from) {
  for (let i = doc.indexOf(line, from); i >= 0; i = doc.indexOf(line, i + 1)) {
    const starts = i === 0 || doc[i - 1] === '\n';
    const ends = i + line.length === doc.length || doc[i + line.length] === '\n';
    if (starts && ends) return i;
  }
  return -1;
}

function writeDoc(outcome) {
  let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  const open = `<!-- bench:${outcome.scenario} -->`;
  const close = `<!-- /bench:${outcome.scenario} -->`;
  const block = `${open}\n${render(outcome)}\n${close}`;
  // Markers count only on a line of their own (prose may mention them).
  const a = lineIndex(doc, open, 0);
  const b = a >= 0 ? lineIndex(doc, close, a) : -1;
  if (a >= 0 && b > a) doc = doc.slice(0, a) + block + doc.slice(b + close.length);
  else doc = `${doc.trimEnd()}\n\n## ${outcome.scenario} (\`npm run bench -- ${outcome.scenario}\`)\n\n${block}\n`;
  writeFileSync(DOC, doc);
}

const summary = [];
const suiteStarted = Date.now();
for (const scenario of chosen) {
  if (!scripts[`bench:${scenario}`]) {
    console.log(`\n== ${scenario}: no "bench:${scenario}" script in package.json; skipped`);
    summary.push(`${scenario}: skipped (no script)`);
    continue;
  }
  console.log(`\n== ${scenario} (npm run bench:${scenario}) — load average ${load()}`);
  const outcome = await run(scenario);
  if (outcome.code !== 0) {
    summary.push(`${scenario}: FAILED (exit ${outcome.code}); docs/benchmarks.md keeps its previous figures`);
    continue;
  }
  if (outcome.results.length === 0) {
    summary.push(`${scenario}: done in ${outcome.seconds.toFixed(0)} s, but printed no BENCH_RESULT line; docs/benchmarks.md not changed`);
    continue;
  }
  writeDoc(outcome);
  const targets = outcome.results.flatMap((r) => r.targets ?? []);
  const met = targets.filter((t) => t.met).length;
  summary.push(`${scenario}: ${outcome.seconds.toFixed(0)} s${targets.length ? `, targets met ${met}/${targets.length}` : ''}; written to docs/benchmarks.md`);
}
if (sharedHistories) rmSync(sharedHistories, { recursive: true, force: true });
console.log(`\n== summary (load average now ${load()}, ${((Date.now() - suiteStarted) / 60_000).toFixed(1)} min in all)\n${summary.map((s) => `- ${s}`).join('\n')}`);
process.exit(summary.some((s) => s.includes('FAILED')) ? 1 : 0);
