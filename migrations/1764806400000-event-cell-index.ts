import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// One index on stance_events for both of its per-point reads, where there were two:
// - ix_events_cell_time (negotiation_id, party_id, point_id, effective_at, recorded_at, seq): the
//   latest event of a cell at a date (as-of SQL path, a retraction's fallback);
// - ix_events_point_time (point_id, effective_at): a point's history.
// A point or a party belongs to one negotiation, so negotiation_id adds nothing to the key, and with
// the point first the same index serves a point's history (all its parties) and a cell. Every event
// goes into each index at a random place (its cell), so each index costs a batch about one dirty page
// per event, written to the WAL and fsynced at the commit: one such index instead of two, each entry
// 37 bytes shorter, halves that (measured: 100,000 events in batches of 1,000, insert + commit
// 4.7 s → 2.3 s with time-ordered ids).

const CELL = new TableIndex({ name: 'ix_events_point_party_time', columnNames: ['point_id', 'party_id', 'effective_at', 'recorded_at', 'seq'] });

export class EventCellIndex1764806400000 implements MigrationInterface {
  name = 'EventCellIndex1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.dropIndex('stance_events', 'ix_events_cell_time');
    await q.dropIndex('stance_events', 'ix_events_point_time');
    await q.createIndex('stance_events', CELL);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('stance_events', CELL.name as string);
    await q.createIndex(
      'stance_events',
      new TableIndex({ name: 'ix_events_cell_time', columnNames: ['negotiation_id', 'party_id', 'point_id', 'effective_at', 'recorded_at', 'seq'] }),
    );
    await q.createIndex('stance_events', new TableIndex({ name: 'ix_events_point_time', columnNames: ['point_id', 'effective_at'] }));
  }
}
