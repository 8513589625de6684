import { Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { ExecutionContext } from '@nestjs/common';
import { AppError } from '../common/app-error';

/** The throttler, answering with the one error body and a standard Retry-After header. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http';
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new AppError(429, 'RATE_LIMITED', 'Too many requests; slow down and retry later', undefined, undefined, Math.max(1, Math.ceil(detail.timeToBlockExpire)));
  }
}
