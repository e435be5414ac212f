import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Registry } from 'prom-client';
import { ENGINE_METRICS } from './engine.tokens';

/** `GET /metrics` in the Prometheus text format. */
@Controller('metrics')
export class EngineMetricsController {
  constructor(@Inject(ENGINE_METRICS) private readonly registry: Registry) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
