import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal, WithPrincipal } from './principal';

/** The signed-in user's email, as set by the access guard (never taken from the body). */
export const Author = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const principal = ctx.switchToHttp().getRequest<WithPrincipal>().principal;
  return principal?.kind === 'user' ? principal.email : 'anonymous';
});

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal | null => ctx.switchToHttp().getRequest<WithPrincipal>().principal ?? null,
);
