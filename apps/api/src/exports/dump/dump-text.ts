import type { DumpEvent, DumpRetraction } from '@parley/contracts';
import type { ChangeLine, DumpHead } from './dump-codecs';

/**
 * The dump's text: the head's sections pretty enough to read, then one record per line in the
 * long arrays so the file diffs and greps well. Key order is fixed, so equal content gives equal bytes.
 * The writer feeds it from the database and the import from a parsed file, so "import, then export
 * again" can be checked for byte equality.
 */
export async function* serialize(
  head: DumpHead,
  events: AsyncIterable<DumpEvent>,
  retractions: AsyncIterable<DumpRetraction>,
  changes: AsyncIterable<ChangeLine>,
  /** Staff only (includeProposals): the proposals as JSON lines, after the change log. */
  proposals?: AsyncIterable<string>,
): AsyncGenerator<string> {
  yield `{\n"format": ${JSON.stringify(head.format)},\n"version": ${head.version},\n"negotiation": ${JSON.stringify(head.negotiation)},\n`;
  for (const key of ['parties', 'points', 'documents', 'milestones', 'sources', 'sourceArchives', 'planVersions'] as const) {
    yield `${JSON.stringify(key)}: ${lines(head[key].map((item) => JSON.stringify(item)))},\n`;
  }
  yield* section('stanceEvents', events, (e) => JSON.stringify(e));
  yield ',\n';
  yield* section('retractions', retractions, (r) => JSON.stringify(r));
  yield ',\n';
  yield* section('changes', changes, (c) => {
    const fixed = JSON.stringify({ seq: c.seq, kind: c.kind, entityId: c.entityId, recordedAt: c.recordedAt, recordedBy: c.recordedBy });
    return `${fixed.slice(0, -1)},"data":${c.data},"before":${c.before ?? 'null'}}`;
  });
  if (proposals) {
    yield ',\n';
    yield* section('proposals', proposals, (p) => p);
  }
  yield '\n}\n';
}

function lines(items: string[]): string {
  return items.length === 0 ? '[]' : `[\n${items.join(',\n')}\n]`;
}

async function* section<T>(key: string, items: AsyncIterable<T>, line: (item: T) => string): AsyncGenerator<string> {
  yield `${JSON.stringify(key)}: [`;
  let first = true;
  let buffer: string[] = [];
  for await (const item of items) {
    buffer.push(`${first ? '\n' : ',\n'}${line(item)}`);
    first = false;
    if (buffer.length >= 500) {
      yield buffer.join('');
      buffer = [];
    }
  }
  if (buffer.length > 0) yield buffer.join('');
  yield first ? ']' : '\n]';
}
