import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';

/**
 * Who may call a route. Every route must declare one (the guard refuses routes without): a route
 * added later without a rule fails closed, and the role × route test fails.
 * - public: anyone (login, health)
 * - read: reading a negotiation; anyone when VIEW_ACCESS=public, else a user or a share link for it
 * - signed-in: a user or a share link
 * - user: a user account (any role)
 * - analyst: analyst or admin; admin: admin only
 * - metrics: the Prometheus scraper, with METRICS_TOKEN as its bearer token (no account); off without it
 */
export const ACCESS_LEVELS = ['public', 'read', 'signed-in', 'user', 'analyst', 'admin', 'metrics'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export const ACCESS_KEY = 'parley:access';

export function Access(level: AccessLevel): ClassDecorator & MethodDecorator {
  const decorators: (ClassDecorator | MethodDecorator)[] = [SetMetadata(ACCESS_KEY, level)];
  if (level !== 'public') {
    decorators.push(ApiBearerAuth(), ApiResponse({ status: 401, description: 'Missing, invalid or expired credentials' }));
  }
  if (level === 'metrics') decorators.push(ApiResponse({ status: 404, description: 'Metrics are off (METRICS_TOKEN is not set)' }));
  if (level === 'analyst' || level === 'admin' || level === 'user') {
    decorators.push(ApiResponse({ status: 403, description: `Needs the ${level} role` }));
  }
  return applyDecorators(...decorators) as ClassDecorator & MethodDecorator;
}
