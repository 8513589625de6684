import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis, type RedisOptions } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { Readiness } from '../common/readiness';

/**
 * A publisher whose failures are dropped instead of rejected: the Redis adapter does not await its
 * publishes, so a rejection during an outage would be unhandled (and end the process). A dropped
 * message is not lost for viewers: they notice the gap and replay it from the database.
 */
class DroppingPublisher extends Redis {
  override publish(...args: Parameters<Redis['publish']>): ReturnType<Redis['publish']> {
    return super.publish(...args).catch(() => 0) as ReturnType<Redis['publish']>;
  }
}

/**
 * socket.io for the live API; with REDIS_URL, the Redis adapter so a change recorded on one node
 * reaches viewers on every node. A Redis outage stops only the cross-node fan-out: writes and
 * same-node viewers go on, and nodes reconnect by themselves.
 */
export class LiveIoAdapter extends IoAdapter {
  private readonly logger = new Logger('Live');
  private clients: Redis[] = [];
  private redisAdapter: ReturnType<typeof createAdapter> | null = null;

  constructor(app: INestApplicationContext, redisUrl: string | undefined) {
    super(app);
    if (!redisUrl) return;
    const options: RedisOptions = {
      // Keep retrying for ever, a little apart; never queue publishes while down (see above).
      retryStrategy: (attempt) => Math.min(200 * attempt, 2_000),
      maxRetriesPerRequest: null,
    };
    const publisher = new DroppingPublisher(redisUrl, { ...options, enableOfflineQueue: false });
    const subscriber = new Redis(redisUrl, options);
    let down = false;
    for (const client of [publisher, subscriber]) {
      client.on('error', (err: Error) => {
        if (!down) this.logger.warn(`Redis unavailable (${err.message}); live fan-out to other nodes paused`);
        down = true;
      });
      client.on('ready', () => {
        if (down) this.logger.log('Redis is back; live fan-out resumed');
        down = false;
      });
    }
    this.clients = [publisher, subscriber];
    // /api/health/ready: not ready while either connection to Redis is down (fan-out paused).
    app.get(Readiness).register('redis', () => this.clients.length > 0 && this.clients.every((c) => c.status === 'ready'));
    this.redisAdapter = createAdapter(publisher, subscriber, { requestsTimeout: 2_000 });
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    // Several nodes behind a load balancer: long-polling would need sticky sessions (its requests
    // must all reach the node holding the session), WebSocket does not. LiveClient uses WebSocket only.
    const server = super.createIOServer(port, this.redisAdapter ? { ...options, transports: ['websocket'] } : options) as Server;
    if (this.redisAdapter) server.adapter(this.redisAdapter);
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all(this.clients.map((c) => c.quit().catch(() => c.disconnect())));
    this.clients = [];
  }
}
