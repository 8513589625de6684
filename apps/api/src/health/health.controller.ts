import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HealthView } from '@parley/contracts';
import type { FastifyReply } from 'fastify';
import { Access } from '../common/access';
import { Db } from '../database/db.service';

const started = Date.now();

@ApiTags('health')
@Controller('health')
@Access('public')
export class HealthController {
  constructor(private readonly db: Db) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and readiness: 200 when the database answers and every migration is applied, else 503' })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthView> {
    const up = await this.db.ping();
    const migrations = up ? await this.db.pendingMigrations() : { applied: 0, pending: 0 };
    const ok = up && migrations.pending === 0;
    reply.status(ok ? 200 : 503);
    return {
      status: ok ? 'ok' : 'error',
      database: up ? 'up' : 'down',
      migrations,
      driver: this.db.engine,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
    };
  }
}
