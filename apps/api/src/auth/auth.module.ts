import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditController } from '../audit/audit.controller';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { ShareLinksController } from '../share-links/share-links.controller';
import { ShareLinksService } from '../share-links/share-links.service';
import { UsersController } from '../users/users.controller';
import { AccessEvents } from './access-events';
import { AccessGuard } from './access.guard';
import { AccessService } from './access.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { RateLimitGuard } from './rate-limit.guard';

const MINUTE = 60_000;
/** The routes that check a password. */
const PASSWORD_CHECKS = new Set<unknown>([AuthController.prototype.login, AuthController.prototype.changePassword]);

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
            // Password guesses are limited alike, whether at sign-in or through a password change.
            skipIf: (context) => context.getClass() !== AuthController || !PASSWORD_CHECKS.has(context.getHandler()),
          },
        ],
      }),
    }),
  ],
  controllers: [AuthController, UsersController, ShareLinksController, AuditController],
  providers: [
    AuthService,
    AccessService,
    AccessEvents,
    ShareLinksService,
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, AccessService, AccessEvents],
})
export class AuthModule {}
