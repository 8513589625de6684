import { Module, type OnModuleDestroy } from '@nestjs/common';
import { ChangeLog } from '../changes/change-log.service';
import { Metrics } from '../common/metrics';
import { MetricsController } from './metrics.controller';

/** `/api/metrics`, and the change counts, read off the change log as changes commit on this node. */
@Module({ controllers: [MetricsController] })
export class MetricsModule implements OnModuleDestroy {
  private readonly unsubscribe: () => void;

  constructor(changes: ChangeLog, metrics: Metrics) {
    this.unsubscribe = changes.subscribe((entry) => {
      metrics.changes.inc({ kind: entry.kind });
      if (entry.kind.startsWith('stance.')) metrics.stanceWrites.inc();
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }
}
