import { Controller, Get, Inject } from '@nestjs/common';
import { PartitionEngine } from '@app/engine';
import { PARTITION_ENGINE } from './engine.tokens';

/**
 * Per-partition status of this process: phase, replay progress, lag, batch size, commit latency, snapshots; and the
 * partitions it follows as warm standbys, with the offset each has folded up to.
 */
@Controller('engine')
export class EngineStatusController {
  constructor(@Inject(PARTITION_ENGINE) private readonly engine: PartitionEngine<unknown>) {}

  @Get('status')
  status() {
    return { ready: this.engine.isReady(), partitions: this.engine.status(), standbys: this.engine.standbyStatus() };
  }
}
