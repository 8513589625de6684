import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RefsGuard } from './refs.guard';
import { Refs } from './refs.service';

/**
 * The one resolver of references (ids or codes) and its guard. Global: every feature resolves through
 * it. AppModule imports it right after AuthModule, so the guard runs after the access guard.
 */
@Global()
@Module({ providers: [Refs, { provide: APP_GUARD, useClass: RefsGuard }], exports: [Refs] })
export class RefsModule {}
