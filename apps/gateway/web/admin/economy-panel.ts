import { AdminApi, analyticsMissing } from './admin-api';
import { byId, element, say } from './dom';
import { type Economy, economySeries, projectionProblems } from './economy-series';
import { clock, count } from './format';
import { lineChart, Series } from './line-chart';

const SVG = 'http://www.w3.org/2000/svg';
const LAYOUT = { width: 520, height: 190, left: 56, bottom: 22, top: 10 };

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const created = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, String(value));
  if (text !== undefined) created.textContent = text;
  return created;
}

/** A line chart as inline SVG, with its y ticks, first and last minute, and a legend. */
function chart(title: string, series: Series[], minutes: string[]): HTMLElement {
  const shape = lineChart(series, LAYOUT);
  const drawing = svg('svg', { viewBox: `0 0 ${LAYOUT.width} ${LAYOUT.height}`, class: 'chart', role: 'img', 'aria-label': title });
  for (const tick of shape.yTicks) {
    drawing.append(svg('line', { x1: LAYOUT.left, x2: LAYOUT.width, y1: tick.y, y2: tick.y, class: 'grid' }));
    drawing.append(svg('text', { x: LAYOUT.left - 6, y: tick.y + 4, 'text-anchor': 'end' }, tick.label));
  }
  for (const path of shape.paths) {
    drawing.append(svg('path', { d: path.d, stroke: path.color, fill: 'none', 'stroke-width': 2 }));
    for (const point of path.points) drawing.append(svg('circle', { cx: point.x, cy: point.y, r: 3, fill: path.color }));
  }
  if (minutes.length > 0) {
    const bottom = LAYOUT.height - 4;
    drawing.append(svg('text', { x: LAYOUT.left, y: bottom }, clock(minutes[0]).slice(0, 5)));
    drawing.append(svg('text', { x: LAYOUT.width, y: bottom, 'text-anchor': 'end' }, clock(minutes[minutes.length - 1]).slice(0, 5)));
  }
  const legend = element('div', { class: 'legend' }, ...series.map(({ name, color }) => element('span', { style: `color: ${color}` }, `■ ${name}`)));
  return element('figure', {}, element('figcaption', {}, title), drawing, legend);
}

/** The economy read model (GET /admin/economy): gold totals, per-minute charts, items; every 5 s. */
export class EconomyPanel {
  private readonly status = byId('economy-status');

  constructor(private readonly api: AdminApi) {}

  async refresh(): Promise<void> {
    try {
      this.show(await this.api.get<Economy>('/admin/economy'));
    } catch (error) {
      say(this.status, analyticsMissing(error) ? 'analytics unavailable' : (error as Error).message, analyticsMissing(error) ? 'info' : 'error');
      throw error;
    }
  }

  private show(economy: Economy): void {
    const { gold } = economy;
    byId('economy-totals').replaceChildren(
      ...[
        ['gold in the world', gold.total],
        ['granted', gold.granted],
        ['looted', gold.looted],
        ['transferred', gold.transferred],
      ].map(([label, value]) => element('div', { class: 'figure' }, element('span', {}, String(label)), element('strong', {}, count(value as number)))),
    );
    const series = economySeries(economy);
    byId('economy-charts').replaceChildren(
      chart(
        'gold per minute',
        [
          { name: 'granted', color: '#5fb3ff', values: series.granted },
          { name: 'looted', color: '#f2c14e', values: series.looted },
          { name: 'transferred', color: '#9ad17b', values: series.transferred },
        ],
        series.minutes,
      ),
      chart('gold in the world (end of each minute with activity)', [{ name: 'total', color: '#e0e0e0', values: series.total }], series.minutes),
    );
    const items = Object.entries(economy.items).sort(([a], [b]) => a.localeCompare(b));
    byId<HTMLTableElement>('economy-items').tBodies[0].replaceChildren(
      ...items.map(([itemId, item]) =>
        element(
          'tr',
          {},
          ...[itemId, item.total, item.granted, item.looted, item.consumed, item.transferred].map((value) =>
            element('td', {}, typeof value === 'number' ? count(value) : value),
          ),
        ),
      ),
    );
    say(this.status, [`updated ${new Date().toLocaleTimeString()}`, ...projectionProblems(economy)].join(' · '));
  }
}
