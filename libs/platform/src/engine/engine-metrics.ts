import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { PartitionEngine, PartitionPhase } from '@app/engine';

const PHASES: PartitionPhase[] = ['recovering', 'serving', 'fenced', 'failed', 'diverged', 'released'];

/**
 * Prometheus metrics of a process that hosts partitions, read from the engine's status at each scrape. A partition
 * whose replay diverged shows as `engine_partitions{phase="diverged"}` above zero: the one to alert on.
 */
export function engineMetrics(engine: PartitionEngine<unknown>, service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'engine_partitions',
    help: 'Partitions this process owns, by phase',
    labelNames: ['phase'],
    registers: [registry],
    collect() {
      const status = engine.status();
      for (const phase of PHASES) this.set({ phase }, status.filter((entry) => entry.phase === phase).length);
    },
  });
  const perPartition = (name: string, help: string, read: (entry: ReturnType<PartitionEngine<unknown>['status']>[number]) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['partition'],
      registers: [registry],
      collect() {
        this.reset();
        for (const entry of engine.status()) this.set({ partition: String(entry.partition) }, read(entry));
      },
    });
  perPartition('engine_partition_lag', 'Commands of the partition not committed here yet', (entry) => entry.lag);
  perPartition('engine_commands_committed', 'Commands committed since this process took the partition', (entry) => entry.commandsCommitted);
  perPartition('engine_commit_p99_ms', 'p99 commit latency over the last 1,000 commits', (entry) => entry.commitP99Ms);
  perPartition('engine_replay_remaining', 'Records still to replay before serving', (entry) => entry.replay.total - entry.replay.done);
  new Gauge({
    name: 'engine_stage_ms',
    help: 'Milliseconds per stage over the last 1,000 samples: queue (a command sent straight here waiting for its batch), decide, append (and its proof)',
    labelNames: ['partition', 'stage', 'quantile'],
    registers: [registry],
    collect() {
      this.reset();
      for (const entry of engine.status()) {
        for (const [stage, { p50Ms, p99Ms }] of Object.entries(entry.stages)) {
          this.set({ partition: String(entry.partition), stage, quantile: '0.5' }, p50Ms);
          this.set({ partition: String(entry.partition), stage, quantile: '0.99' }, p99Ms);
        }
      }
    },
  });
  return registry;
}
