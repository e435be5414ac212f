import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { PartitionEngine } from '@app/engine';
import { PARTITION_ENGINE } from './engine/engine.tokens';
import { KafkaHealthIndicator } from './kafka-health.indicator';
import { Readiness } from './readiness';

/** Liveness says the process answers; readiness says it can do its work (PROTOCOL.md). */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: Readiness,
    @Optional() @Inject(PARTITION_ENGINE) private readonly engine?: PartitionEngine<unknown>,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.stopping(),
      () => this.databaseReported(),
      () => this.kafka.isHealthy(),
      ...(this.engine ? [() => this.partitions(this.engine!)] : []),
    ]);
  }

  /** Not ready once a planned stop began, though the process still answers (it drains). */
  private stopping() {
    const session = this.indicators.check('serving');
    const reason = this.readiness.withdrawnFor;
    return reason === undefined ? session.up() : session.down({ reason });
  }

  /**
   * Reported, never required: play goes on while PostgreSQL is away (new players' registration and snapshots wait for
   * it), and every instance going unready at once would only take the game out of its load balancer.
   */
  private async databaseReported() {
    const session = this.indicators.check('database');
    try {
      await this.database.pingCheck('database', { timeout: 1000 });
      return session.up({ reachable: true });
    } catch {
      return session.up({ reachable: false });
    }
  }

  /** Ready only when every partition this process owns is recovered and serving (PROTOCOL.md). */
  private partitions(engine: PartitionEngine<unknown>) {
    const session = this.indicators.check('partitions');
    const owned = engine.status().map(({ partition, phase }) => ({ partition, phase }));
    return engine.isReady() ? session.up({ owned }) : session.down({ owned });
  }
}
