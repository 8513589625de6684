import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from './config/app-config';
import { CoreModule } from './database/database.module';
import type { Db } from './database/db.service';
import { DemoModule } from './demo/demo.module';
import { DocumentsModule } from './documents/documents.module';
import { HealthModule } from './health/health.module';
import { MatrixModule } from './matrix/matrix.module';
import { MilestonesModule } from './milestones/milestones.module';
import { NegotiationsModule } from './negotiations/negotiations.module';
import { PartiesModule } from './parties/parties.module';
import { PointsModule } from './points/points.module';
import { StancesModule } from './stances/stances.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, db: Db): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, db),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            // Credentials never reach the logs.
            redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'], censor: '[redacted]' },
            customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
          },
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
        }),
        HealthModule,
        NegotiationsModule,
        PartiesModule,
        PointsModule,
        DocumentsModule,
        MilestonesModule,
        StancesModule,
        MatrixModule,
        DemoModule,
      ],
    };
  }
}
