import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AccessGuard } from './access.guard';
import { AccessService } from './access.service';
import { ApiTokensService } from './api-tokens.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { RateLimitGuard } from './rate-limit.guard';

const MINUTE = 60_000;
/** The routes that check a password. */
const PASSWORD_CHECKS = new Set<unknown>([AuthController.prototype.login, AuthController.prototype.changePassword]);

/** Sign-in, sessions, API tokens, the access check, and the two global guards: rate limit, then access. */
@Module({
  imports: [
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
  controllers: [AuthController],
  providers: [
    AuthService,
    ApiTokensService,
    AccessService,
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, ApiTokensService, AccessService],
})
export class AuthModule {}
