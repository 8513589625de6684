import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditController } from '../audit/audit.controller';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { ShareLinksController } from '../share-links/share-links.controller';
import { ShareLinksService } from '../share-links/share-links.service';
import { UsersController } from '../users/users.controller';
import { AccessGuard } from './access.guard';
import { AccessService } from './access.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { RateLimitGuard } from './rate-limit.guard';

const MINUTE = 60_000;

/** Accounts, tokens, share links, audit, and the two global guards: rate limit, then access. */
@Module({
  imports: [
    NegotiationsModule,
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [
          { name: 'global', ttl: MINUTE, limit: Math.max(1, config.auth.rateLimitPerMinute), skipIf: () => config.auth.rateLimitPerMinute === 0 },
          {
            name: 'login',
            ttl: MINUTE,
            limit: config.auth.loginLimitPerMinute,
            blockDuration: MINUTE,
            skipIf: (context) => context.getClass() !== AuthController || context.getHandler() !== AuthController.prototype.login,
          },
        ],
      }),
    }),
  ],
  controllers: [AuthController, UsersController, ShareLinksController, AuditController],
  providers: [
    AuthService,
    AccessService,
    ShareLinksService,
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, AccessService],
})
export class AuthModule {}
