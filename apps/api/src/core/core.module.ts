import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AuditLog } from '../audit/audit.service';
import { ChangeLog } from '../changes/change-log.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Db } from './db.service';

/** The opened database, the change log and the configuration, for every feature module. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, db: Db): DynamicModule {
    return {
      module: CoreModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, { provide: Db, useValue: db }, ChangeLog, AuditLog],
      exports: [APP_CONFIG, Db, ChangeLog, AuditLog],
    };
  }
}
