import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AccessEvents } from '../common/access-events';
import { Readiness } from '../common/readiness';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Db } from '../database/db.service';

/**
 * The opened database, the configuration, the access events and the readiness checks, for every
 * feature module. The
 * change log and the audit log are global modules of their own (changes/, audit/).
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, db: Db): DynamicModule {
    return {
      module: CoreModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, { provide: Db, useValue: db }, AccessEvents, Readiness],
      exports: [APP_CONFIG, Db, AccessEvents, Readiness],
    };
  }
}
