import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthView, LivenessView, ReadinessView } from '@parley/contracts';
import type { FastifyReply } from 'fastify';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { Readiness } from '../common/readiness';
import { Db } from '../database/db.service';

const started = Date.now();
const uptimeSeconds = () => Math.round((Date.now() - started) / 1000);

/**
 * Health as orchestrators ask it: `live` (the process answers: restart it if not), `ready` (it can
 * serve: send it traffic if so), and the older combined `/api/health`, kept for existing monitors.
 */
@ApiTags('health')
@Controller('health')
@Access('public')
export class HealthController {
  constructor(
    private readonly db: Db,
    private readonly readiness: Readiness,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and readiness: 200 when the database answers and every migration is applied, else 503' })
  @Returns(200, HealthView, 'Healthy (503 with the same body when not)', [])
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
      uptimeSeconds: uptimeSeconds(),
    };
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: 200 while the process answers; checks nothing else (a database outage must not get the node restarted)' })
  @Returns(200, LivenessView, 'The process answers', [])
  live(): LivenessView {
    return { status: 'ok', uptimeSeconds: uptimeSeconds() };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: 200 when the database answers, every migration is applied, Redis is connected (when REDIS_URL is set) and the node is not stopping; else 503 naming what is not' })
  @Returns(200, ReadinessView, 'Ready (503 with the same body when not)', [])
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessView> {
    const up = await this.db.ping();
    const pending = up ? (await this.db.pendingMigrations()).pending : 0;
    const others = this.readiness.results();
    const checks: ReadinessView['checks'] = {
      database: up ? 'up' : 'down',
      migrations: up && pending === 0 ? 'applied' : 'pending',
      ...('redis' in others ? { redis: others['redis'] ? 'up' : 'down' } : {}),
      shutdown: this.readiness.shuttingDown ? 'stopping' : 'running',
    };
    const ok = checks.database === 'up' && checks.migrations === 'applied' && checks.redis !== 'down' && checks.shutdown === 'running';
    reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'error', checks };
  }
}
