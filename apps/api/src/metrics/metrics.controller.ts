import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/access';
import { Metrics } from '../common/metrics';

/** Prometheus's scrape target: every metric of this node, in the text exposition format. */
@ApiTags('health')
@Controller('metrics')
@Access('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @ApiOperation({
    operationId: 'getMetrics',
    summary: "This node's metrics in Prometheus's text format (docs/operations.md says what each means); needs METRICS_TOKEN as the bearer token, 404 when it is not set",
  })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Prometheus text exposition format 0.0.4' })
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('cache-control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
