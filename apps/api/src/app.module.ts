import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import type { AppConfig } from './config/app-config';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ChangesModule } from './changes/changes.module';
import { logStream, stdoutLog } from './common/log-output';
import { withoutSecrets } from './common/redact';
import { CoreModule } from './core/core.module';
import type { Db } from './database/db.service';
import { DemoModule } from './demo/demo.module';
import { DocumentsModule } from './documents/documents.module';
import { ExportsModule } from './exports/exports.module';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { LiveModule } from './live/live.module';
import { MatrixModule } from './matrix/matrix.module';
import { MetricsModule } from './metrics/metrics.module';
import { MilestonesModule } from './milestones/milestones.module';
import { NegotiationsModule } from './negotiations/negotiations.module';
import { PartiesModule } from './parties/parties.module';
import { PointsModule } from './points/points.module';
import { ReviewModule } from './review/review.module';
import { ShareLinksModule } from './share-links/share-links.module';
import { SearchModule } from './search/search.module';
import { SourcesModule } from './sources/sources.module';
import { StancesModule } from './stances/stances.module';
import { UsersModule } from './users/users.module';

function httpLogOptions(config: AppConfig): PinoHttpOptions {
  return {
    level: config.logLevel,
    // Credentials never reach the logs: no headers, and share tokens cut out of URLs.
    serializers: {
      req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: withoutSecrets(req.url),
        remoteAddress: req.remoteAddress,
      }),
      // The status says how it went; the response headers (CSP, HSTS…) are the same on every line.
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  };
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, db: Db, logDestination?: NodeJS.WritableStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, db),
        LoggerModule.forRoot({
          pinoHttp: [httpLogOptions(config), logDestination ?? logStream(stdoutLog(), process.stdout.isTTY === true)],
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
        }),
        AuthModule,
        UsersModule,
        ShareLinksModule,
        AuditModule,
        ChangesModule,
        HealthModule,
        MetricsModule,
        NegotiationsModule,
        PartiesModule,
        PointsModule,
        DocumentsModule,
        MilestonesModule,
        SourcesModule,
        SearchModule,
        StancesModule,
        ReviewModule,
        MatrixModule,
        ExportsModule,
        ImportsModule,
        LiveModule,
        DemoModule,
      ],
    };
  }
}
