import { Inject, Injectable } from '@nestjs/common';
import type { ExportFormat, ExportQuery } from '@parley/contracts';
import { parseBound } from '@parley/domain';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { changesWindowOf, inChangesWindow } from './changes-window';
import { DumpWriter } from './dump/dump-writer';
import { ExportsService } from './exports.service';
import { renderPdf } from './pdf-report';
import { changesCsv, markdownDigest, matrixCsv, namesOf } from './text-exports';
import { renderXlsx } from './xlsx-report';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

/** An export whose data has been read and checked: what remains is to write it out. */
export interface ExportJob {
  fileName: string;
  contentType: string;
  /** Writes the whole export to `out` and ends it. */
  write(out: Writable): Promise<void>;
}

function day(query: ExportQuery): string {
  return (query.asOf ?? new Date().toISOString()).slice(0, 10);
}

/**
 * One place that turns (negotiation, format, query) into bytes, for the HTTP endpoints and the
 * command line alike. prepare() does every read that can fail (unknown negotiation, unknown party
 * code) before the first byte, so a failed export is a clean error rather than a cut-off file.
 */
@Injectable()
export class ExportRunner {
  constructor(
    private readonly exports: ExportsService,
    private readonly dumps: DumpWriter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async prepare(negotiation: string, format: ExportFormat, query: ExportQuery): Promise<ExportJob> {
    const knownAt = query.knownAt ? parseBound(query.knownAt) : undefined;
    switch (format) {
      case 'json': {
        const dump = await this.dumps.open(negotiation, query.includeProposals === true);
        return {
          fileName: `${dump.slug}-dump-seq${dump.seq}.json`,
          contentType: CONTENT_TYPES.json,
          write: (out) => pipeline(Readable.from(dump.chunks), out),
        };
      }
      case 'pdf': {
        const data = await this.exports.report(negotiation, query);
        return { fileName: `${data.negotiation.slug}-${day(query)}.pdf`, contentType: CONTENT_TYPES.pdf, write: (out) => renderPdf(data, out) };
      }
      case 'xlsx': {
        const data = await this.exports.report(negotiation, query, { series: false, changes: false });
        // The Changes sheet: every event, or those in the window the About sheet names.
        const window = changesWindowOf(query);
        const events = this.exports.events(data.negotiation.id, knownAt, data.negotiation.seq);
        // Scoped by a document: only its points' events (the other filters leave this sheet whole).
        const scope = query.documentId ? new Set(data.rows.map((r) => r.point.id)) : null;
        async function* inWindow() {
          for await (const e of events) if ((window === null || inChangesWindow(e, window)) && (scope === null || scope.has(e.pointId))) yield e;
        }
        return {
          fileName: `${data.negotiation.slug}-${day(query)}.xlsx`,
          contentType: CONTENT_TYPES.xlsx,
          write: (out) => renderXlsx(data, inWindow(), out),
        };
      }
      case 'md': {
        const data = await this.exports.report(negotiation, query, { series: false });
        const params = new URLSearchParams({ n: data.negotiation.slug });
        if (query.asOf) params.set('asOf', query.asOf.slice(0, 10));
        if (data.document) params.set('doc', data.document.id);
        // PUBLIC_URL or a relative link: never the request's Host header, which a client can forge.
        const text = markdownDigest(data, `${this.config.publicUrl ?? ''}/?${params.toString()}`);
        return { fileName: `${data.negotiation.slug}-${day(query)}.md`, contentType: CONTENT_TYPES.md, write: (out) => pipeline(Readable.from([text]), out) };
      }
      case 'csv': {
        const data = await this.exports.report(negotiation, query, { series: false, changes: false });
        const bom = query.bom ?? false;
        if ((query.table ?? 'matrix') === 'matrix') {
          const text = matrixCsv(data, bom);
          return { fileName: `${data.negotiation.slug}-${day(query)}-matrix.csv`, contentType: CONTENT_TYPES.csv, write: (out) => pipeline(Readable.from([text]), out) };
        }
        const window = changesWindowOf(query);
        const parties = new Set(data.parties.map((p) => p.id));
        const points = new Set(data.rows.map((r) => r.point.id));
        const events = this.exports.events(data.negotiation.id, knownAt, data.negotiation.seq);
        // The filters of the matrix apply: only the parties and points shown, in the changes window.
        async function* shown() {
          for await (const e of events) {
            if (!parties.has(e.partyId) || !points.has(e.pointId)) continue;
            if (window !== null && !inChangesWindow(e, window)) continue;
            yield e;
          }
        }
        return {
          fileName: `${data.negotiation.slug}-${day(query)}-changes.csv`,
          contentType: CONTENT_TYPES.csv,
          write: (out) => pipeline(Readable.from(changesCsv(shown(), namesOf(data.allParties, data.allPoints), bom)), out),
        };
      }
    }
  }
}
