const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** One figures file per run; the test files append to it (see figures.ts). */
module.exports = async () => {
  const file = path.join(os.tmpdir(), `parley-fault-figures-${process.pid}-${Date.now()}.jsonl`);
  fs.writeFileSync(file, '');
  process.env.PARLEY_FAULT_FIGURES = file;
  process.env.PARLEY_FAULT_STARTED = String(Date.now());
};
