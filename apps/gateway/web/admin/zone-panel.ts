import { ZONES } from '@app/zone/zone-catalog';
import { AdminApi, analyticsMissing, RequestFailed } from './admin-api';
import { byId, element, say } from './dom';
import { count } from './format';
import { Poller } from './poller';

interface Entity {
  id: string;
  x: number;
  y: number;
  hp: number;
}

interface ZoneSummary {
  zoneId: string;
  tick: number;
  stateHash: string;
  players: Entity[];
  monsters: Entity[];
}

interface ZoneStats {
  kills: number;
  loot: { gold: number; items: Record<string, number> };
}

/** How far back the slider reaches from the live tick (a minute at the default 100 ms tick, cheap to rebuild). */
const SLIDER_TICKS = 600;

/**
 * A zone drawn on a canvas: live (GET /admin/zones/:zoneId every second), or at a past tick picked on the slider
 * (`?atTick=`, rebuilt by the gateway from snapshot + log). Kills and loot from analytics beside it.
 */
export class ZonePanel {
  readonly poller = new Poller(1_000, () => this.refreshLive());
  readonly statsPoller = new Poller(5_000, () => this.refreshStats());
  private live = true;
  /** While the operator holds the slider, live refreshes leave its position alone. */
  private dragging = false;
  private readonly select = byId<HTMLSelectElement>('zone-id');
  private readonly canvas = byId<HTMLCanvasElement>('zone-canvas');
  private readonly slider = byId<HTMLInputElement>('zone-tick');
  private readonly status = byId('zone-status');

  constructor(private readonly api: AdminApi) {
    this.select.append(...Object.keys(ZONES).map((zoneId) => element('option', { value: zoneId }, zoneId)));
    this.select.addEventListener('change', () => this.goLive());
    byId('zone-live').addEventListener('click', () => this.goLive());
    // 'change' fires once the slider is let go: one rebuild per choice, not one per pixel dragged.
    this.slider.addEventListener('input', () => (byId('zone-tick-label').textContent = `tick ${this.slider.value}`));
    this.slider.addEventListener('change', () => void this.travel(Number(this.slider.value)));
    this.slider.addEventListener('pointerdown', () => (this.dragging = true));
    this.slider.addEventListener('pointerup', () => (this.dragging = false));
  }

  private get zoneId(): string {
    return this.select.value;
  }

  private goLive(): void {
    this.live = true;
    this.poller.now();
    this.statsPoller.now();
  }

  private async refreshLive(): Promise<void> {
    if (!this.live) return;
    try {
      const zone = await this.api.get<ZoneSummary>(`/admin/zones/${encodeURIComponent(this.zoneId)}`);
      if (!this.live) return; // the operator picked a past tick meanwhile
      this.draw(zone);
      if (this.dragging) return;
      this.slider.max = String(zone.tick);
      this.slider.min = String(Math.max(0, zone.tick - SLIDER_TICKS));
      this.slider.value = String(zone.tick);
      byId('zone-tick-label').textContent = `tick ${zone.tick} (live)`;
      say(this.status, `${zone.players.length} players, ${zone.monsters.length} monsters · hash ${zone.stateHash.slice(0, 12)}`);
    } catch (error) {
      say(this.status, (error as Error).message, 'error');
      throw error;
    }
  }

  private async travel(tick: number): Promise<void> {
    if (tick >= Number(this.slider.max)) return this.goLive();
    this.live = false;
    byId('zone-tick-label').textContent = `tick ${tick} (rebuilding…)`;
    try {
      const zone = await this.api.get<ZoneSummary>(`/admin/zones/${encodeURIComponent(this.zoneId)}?atTick=${tick}`);
      this.draw(zone);
      byId('zone-tick-label').textContent = `tick ${zone.tick} (past)`;
      say(this.status, `${zone.players.length} players, ${zone.monsters.length} monsters · hash ${zone.stateHash.slice(0, 12)}`);
    } catch (error) {
      // 410: older than time travel reaches; the slider starts where it does.
      const oldest = error instanceof RequestFailed ? (error.body as { error?: { oldestTick?: unknown } } | undefined)?.error?.oldestTick : undefined;
      if (typeof oldest === 'number') this.slider.min = String(oldest);
      say(this.status, `tick ${tick}: ${(error as Error).message}`, 'error');
    }
  }

  private draw(zone: ZoneSummary): void {
    const context = this.canvas.getContext('2d');
    const size = ZONES[zone.zoneId] ?? { width: 2_000, height: 2_000 };
    if (!context) return;
    const { width, height } = this.canvas;
    context.fillStyle = '#10261a';
    context.fillRect(0, 0, width, height);
    const dot = (entity: Entity, color: string, radius: number) => {
      context.fillStyle = entity.hp > 0 ? color : '#666';
      context.beginPath();
      context.arc((entity.x / size.width) * width, (entity.y / size.height) * height, radius, 0, 2 * Math.PI);
      context.fill();
    };
    zone.monsters.forEach((monster) => dot(monster, '#e0554f', 3));
    zone.players.forEach((player) => dot(player, '#5fb3ff', 4));
  }

  private async refreshStats(): Promise<void> {
    const line = byId('zone-stats');
    try {
      const stats = await this.api.get<ZoneStats>(`/admin/zones/${encodeURIComponent(this.zoneId)}/stats`);
      const items = Object.entries(stats.loot.items).map(([itemId, quantity]) => `${itemId} × ${quantity}`);
      line.textContent = `kills ${count(stats.kills)} · loot ${count(stats.loot.gold)} gold${items.length ? `, ${items.join(', ')}` : ''}`;
    } catch (error) {
      line.textContent = analyticsMissing(error) ? 'analytics unavailable' : (error as Error).message;
      throw error;
    }
  }
}
