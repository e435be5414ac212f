import { figure, markdownTable } from '../bench-support';
import { StepFigures } from './open-loop';

export interface Quantiles {
  p50: number;
  p99: number;
}

/** Where the project's time went, as its processes measured it at the end of a step (see `readStages`). */
export interface StageFigures {
  /** The gateway's socket handler: limits, validation, routing and the owner's round trip (`gateway_stage_ms`). */
  gateway?: Quantiles;
  /** The owner's stages (`/engine/status`), p50 averaged over its partitions, p99 the worst partition's. */
  queue: Quantiles;
  decide: Quantiles;
  append: Quantiles;
}

interface EngineStages {
  stages: Record<'queue' | 'decide' | 'append', { p50Ms: number; p99Ms: number }>;
}

/** Reads the gateway's and the owner's stage timings: each covers about the last 10 s, so read right after a window. */
export async function readStages(gatewayUrl: string, ownerUrl: string): Promise<StageFigures> {
  const metrics = await (await fetch(`${gatewayUrl}/metrics`)).text();
  const quantile = (q: string) => {
    const line = metrics
      .split('\n')
      .find((each) => each.startsWith('gateway_stage_ms{') && each.includes('stage="inventory_command"') && each.includes(`quantile="${q}"`));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
  };
  const partitions = ((await (await fetch(`${ownerUrl}/engine/status`)).json()) as { partitions: EngineStages[] }).partitions;
  const of = (stage: keyof EngineStages['stages']): Quantiles => ({
    p50: partitions.reduce((sum, { stages }) => sum + stages[stage].p50Ms, 0) / Math.max(1, partitions.length),
    p99: Math.max(0, ...partitions.map(({ stages }) => stages[stage].p99Ms)),
  });
  const gateway = { p50: quantile('0.5'), p99: quantile('0.99') };
  return { gateway: Number.isFinite(gateway.p50) ? gateway : undefined, queue: of('queue'), decide: of('decide'), append: of('append') };
}

const pair = (quantiles: Quantiles | undefined) => (quantiles ? `${figure(quantiles.p50, 2)} / ${figure(quantiles.p99, 1)}` : '-');

/**
 * One row per step: the client's latency, then the stages inside it. "Socket.IO, event loops, network" is what the
 * client waited beyond the gateway's handler; "routing and link" is the handler beyond the owner's three stages (p50s).
 */
export function stagesTable(steps: StepFigures[]): string {
  const rows = steps
    .filter((step) => step.stages)
    .map((step) => {
      const { gateway, queue, decide, append } = step.stages!;
      const owner = queue.p50 + decide.p50 + append.p50;
      return [
        figure(step.offeredPerSecond),
        `${figure(step.p50 ?? NaN, 1)} / ${figure(step.p99 ?? NaN, 1)}`,
        pair(gateway),
        pair(queue),
        pair(decide),
        pair(append),
        gateway && step.p50 !== null ? figure(step.p50 - gateway.p50, 2) : '-',
        gateway ? figure(gateway.p50 - owner, 2) : '-',
      ];
    });
  return markdownTable(
    [
      'offered/s',
      'client p50 / p99 ms',
      'gateway handler',
      'owner: queue',
      'owner: decide',
      'owner: append + proof',
      'Socket.IO, event loops, network (p50)',
      'routing and link (p50)',
    ],
    rows,
  );
}
