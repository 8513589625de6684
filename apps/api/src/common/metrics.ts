import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds: from 1 ms to 10 s, where the API's answers fall. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];
/** Writes sharing one commit or one statement: 1 alone, up to the group limit. */
const GROUP_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/**
 * Every metric Parley exports (`GET /api/metrics`, Prometheus text format), defined once here on the
 * ground floor so each part records into the same objects: the HTTP layer, the database's write
 * queue, the change log, the live gateway and the as-of index. docs/operations.md says what each
 * one means. One registry per application (tests start several in one process).
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status code, and how long they took',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly changes = new Counter({
    name: 'parley_changes_total',
    help: 'Changes committed by this node, by kind (stance.recorded, point.updated, …)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly stanceWrites = new Counter({
    name: 'parley_stance_writes_total',
    help: 'Stance changes (recorded, retracted, corrected) committed by this node',
    registers: [this.registry],
  });

  readonly commitGroupSize = new Histogram({
    name: 'parley_db_commit_group_size',
    help: 'Writes committed together by one COMMIT (SQLite group commit; 1 = alone)',
    buckets: GROUP_BUCKETS,
    registers: [this.registry],
  });

  readonly gatheredWrites = new Histogram({
    name: 'parley_db_gathered_writes',
    help: "Concurrent stance writes of one negotiation run as one write (the same statements and commit)",
    buckets: GROUP_BUCKETS,
    registers: [this.registry],
  });

  readonly liveMessages = new Counter({
    name: 'parley_live_messages_total',
    help: 'Change messages sent to live sockets on this node (one per socket reached)',
    registers: [this.registry],
  });

  readonly liveJoins = new Counter({
    name: 'parley_live_joins_total',
    help: 'Joins of a negotiation by live sockets, by stream (public, review)',
    labelNames: ['stream'] as const,
    registers: [this.registry],
  });

  readonly liveReplayed = new Counter({
    name: 'parley_live_replayed_changes_total',
    help: 'Changes replayed to live sockets catching up after a join or reconnect',
    registers: [this.registry],
  });

  readonly liveResyncs = new Counter({
    name: 'parley_live_resyncs_total',
    help: 'Live sockets told to reload a snapshot instead of replaying, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly indexBuild = new Histogram({
    name: 'parley_matrix_index_build_seconds',
    help: "Time to build a negotiation's as-of index from the database (at the first read after start, or after a failed catch-up)",
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor() {
    // Event-loop lag, heap, CPU, handles: prom-client's standard process metrics, under their usual names.
    collectDefaultMetrics({ register: this.registry });
  }

  /** A gauge read at scrape time from whoever owns the figure (socket counts, pool use). */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], read: (set: (labels: Partial<Record<L, string>>, value: number) => void) => void): void {
    this.registry.removeSingleMetric(name);
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        read((labels, value) => this.set(labels, value));
      },
    });
  }
}
