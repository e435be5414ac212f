import { Global, Injectable, Module } from '@nestjs/common';
import { Registry, Summary } from 'prom-client';

/**
 * The stages of a command's way through a gateway that it times; the owner times its own (queue, decide, append:
 * `engine_stage_ms`). `inventory_command`: from the socket handler's start to its answer (limits, validation, routing
 * and the owner's round trip).
 */
export type GatewayStage = 'inventory_command';

/**
 * Where a command's time goes inside a gateway, as `gateway_stage_ms{stage, quantile}` (p50, p99 over the last 10 s):
 * the next slow stage shows here, and the benchmark reads it to split a client's latency by stage. What a client sees
 * beyond `inventory_command` is Socket.IO (decode, encode), the event loop's queue and the network.
 */
@Injectable()
export class RequestStages {
  readonly registry = new Registry();
  private readonly summary = new Summary({
    name: 'gateway_stage_ms',
    help: 'Milliseconds a command spends in each stage of the gateway',
    labelNames: ['stage'],
    percentiles: [0.5, 0.99],
    maxAgeSeconds: 10,
    ageBuckets: 5,
    registers: [this.registry],
  });

  constructor() {
    this.registry.setDefaultLabels({ service: 'gateway' });
  }

  /** Records a stage that began at `started` (performance.now()) and ends now. */
  done(stage: GatewayStage, started: number): void {
    this.summary.observe({ stage }, performance.now() - started);
  }

  /** Times `work` as `stage`, whether it resolves or rejects. */
  async timed<T>(stage: GatewayStage, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.done(stage, started);
    }
  }
}

@Global()
@Module({ providers: [RequestStages], exports: [RequestStages] })
export class RequestStagesModule {}
