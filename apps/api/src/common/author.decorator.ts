import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** The authenticated principal, when the access layer has set one on the request. */
export interface RequestUser {
  id: string;
  name: string;
}

/**
 * Who is making the change, as set by the server (never taken from the body): the signed-in
 * user's name, or "anonymous" while the deployment has no accounts.
 */
export const Author = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const request = ctx.switchToHttp().getRequest<{ user?: RequestUser }>();
  return request.user?.name ?? 'anonymous';
});
