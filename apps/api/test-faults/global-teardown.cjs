const fs = require('node:fs');

/** Prints the totals of what the fault suite checked (quoted in docs/reliability.md). */
module.exports = async () => {
  const file = process.env.PARLEY_FAULT_FIGURES;
  if (!file || !fs.existsSync(file)) return;
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  fs.rmSync(file, { force: true });
  const totals = {};
  for (const line of lines) {
    for (const [key, value] of Object.entries(line)) if (key !== 'test') totals[key] = (totals[key] ?? 0) + value;
  }
  const out = ['', 'Fault suite figures (npm run test:faults):'];
  for (const line of lines) {
    const { test, ...figures } = line;
    out.push(`  ${test}: ${Object.entries(figures).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  out.push(`  TOTAL: ${Object.entries(totals).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const started = Number(process.env.PARLEY_FAULT_STARTED);
  if (started) out.push(`  wall time: ${Math.round((Date.now() - started) / 1000)} s`);
  process.stdout.write(out.join('\n') + '\n');
};
