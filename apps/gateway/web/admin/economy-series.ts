import type { Economy as EconomyTotals, ProjectionProgress } from '@app/analytics';

/** GET /admin/economy's answer (docs/dashboard.md): the read models' economy and how far their projection is. */
export type Economy = EconomyTotals & { projection: ProjectionProgress };

/**
 * How far the read models are: records not projected yet, and every partition the projection stopped (a log replaced,
 * records deleted, a newer version: docs/analytics.md says what to do), which no waiting will bring up to date.
 */
export function projectionProblems(economy: Economy): string[] {
  const { behind, partitions } = economy.projection;
  const stopped = partitions.filter((entry) => entry.error).map((entry) => `${entry.topic}[${entry.partition}] stopped: ${entry.error}`);
  return [...(behind !== null && behind > 0 ? [`${behind.toLocaleString('en-US')} records not projected yet`] : []), ...stopped];
}

export interface EconomySeries {
  minutes: string[];
  granted: number[];
  looted: number[];
  transferred: number[];
  /** Gold in the world at the end of each minute: today's total, walked back by what each later minute added. */
  total: number[];
}

/** The per-minute lines of the economy's gold. Minutes without activity are not in the answer, and are not made up. */
export function economySeries(economy: Economy): EconomySeries {
  const minutes = economy.perMinute;
  const total: number[] = new Array<number>(minutes.length);
  let running = economy.gold.total;
  for (let index = minutes.length - 1; index >= 0; index--) {
    total[index] = running;
    running -= minutes[index].gold.granted + minutes[index].gold.looted;
  }
  return {
    minutes: minutes.map(({ minute }) => minute),
    granted: minutes.map(({ gold }) => gold.granted),
    looted: minutes.map(({ gold }) => gold.looted),
    transferred: minutes.map(({ gold }) => gold.transferred),
    total,
  };
}
