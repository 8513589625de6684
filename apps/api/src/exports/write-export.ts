import type { INestApplicationContext } from '@nestjs/common';
import type { ExportFormat, ExportQuery } from '@parley/contracts';
import type { Writable } from 'node:stream';
import { ExportRunner } from './export-runner';

/** The command line's export: the same runner as the HTTP endpoints, written to a file or stdout. */
export async function writeExport(app: INestApplicationContext, negotiation: string, format: ExportFormat, query: ExportQuery, out: Writable): Promise<void> {
  const job = await app.get(ExportRunner).prepare(negotiation, format, query);
  await job.write(out);
}
