/** GET /admin/economy's answer, the part the dashboard draws (contract in docs/dashboard.md). */
export interface Economy {
  gold: { total: number; granted: number; looted: number; transferred: number };
  items: Record<string, { total: number; granted: number; looted: number; consumed: number; transferred: number }>;
  perMinute: { minute: string; gold: { granted: number; looted: number; transferred: number } }[];
  projection?: { behind: number };
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
