import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AccessEvents } from '../common/access-events';
import { Metrics } from '../common/metrics';
import { Readiness } from '../common/readiness';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Db } from '../database/db.service';

/**
 * The opened database, the configuration, the access events, the readiness checks and the metrics,
 * for every feature module. The
 * change log and the audit log are global modules of their own (changes/, audit/).
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, db: Db): DynamicModule {
    const metrics = new Metrics();
    db.attachMetrics(metrics);
    return {
      module: CoreModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, { provide: Db, useValue: db }, { provide: Metrics, useValue: metrics }, AccessEvents, Readiness],
      exports: [APP_CONFIG, Db, Metrics, AccessEvents, Readiness],
    };
  }
}
