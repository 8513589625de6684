import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where the suite's figures collect (set by global-setup.cjs; a fallback for a single file run). */
const FILE = process.env['PARLEY_FAULT_FIGURES'] ?? path.join(os.tmpdir(), `parley-fault-figures-${process.pid}.jsonl`);

/**
 * Adds figures of one test to the run's totals, which global-teardown.cjs prints at the end (the
 * numbers docs/reliability.md quotes). Counts of what the test checked; timings only where a test checks a bound (the join flood).
 */
export function record(test: string, figures: Record<string, number>): void {
  fs.appendFileSync(FILE, `${JSON.stringify({ test, ...figures })}\n`);
}
