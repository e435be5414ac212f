import type { GameClient } from '@app/sdk';
import { ZoneDefinition, zoneOf } from '@app/zone/zone-catalog';
import { Camera, toWorld } from './camera';
import { TickInterpolator } from './interpolation';
import { Heading, isAttackKey, isMoveKey } from './keyboard';
import { problemText } from './problems';
import { Steering } from './steering';
import { clickTarget, nearestMonster } from './targets';
import { DrawnEntity, drawZone } from './zone-canvas';

/** The zones' tick (DEFAULT_TICK_MS): one tick's walk is drawn over this long. */
const TICK_MS = 100;
/** Farther than any step in one tick: a jump this long is a respawn, drawn as a jump. */
const SNAP_DISTANCE = 200;
/** Pixels per world unit: shows about 1,300 × 1,000 units, most of what a player's area of interest holds. */
const SCALE = 0.6;
/** How far from a click a monster counts as clicked, in world units. */
const PICK_RADIUS = 40;

/**
 * The zone on the canvas and the player's hands on it: arrows or WASD steer (sent when the heading changes), Space or F
 * attacks the nearest monster, a click attacks the monster clicked (or the nearest). Frames are drawn at the screen's
 * rate, each between the last two ticks.
 */
export class ZoneView {
  private readonly smooth = new TickInterpolator(TICK_MS, SNAP_DISTANCE);
  private readonly steering = new Steering();
  private targetId?: string;
  private attacking = false;

  constructor(
    private readonly client: GameClient,
    private readonly canvas: HTMLCanvasElement,
    private readonly hud: { position: HTMLElement; hp: HTMLElement },
    private readonly say: (text: string) => void,
  ) {}

  start(): void {
    this.client.onZone((zone, tick) => {
      if (tick) this.smooth.push(performance.now(), zone.entities.values());
      else {
        this.smooth.reset(performance.now(), zone.entities.values());
        // Keys held before the zone was joined (or while it was joined again) steered nothing yet: send them now.
        this.steer(this.steering.joined());
      }
      const self = zone.self;
      this.hud.position.textContent = self ? `${self.x}, ${self.y}` : '';
      this.hud.hp.textContent = self ? String(self.hp) : '';
    });
    window.addEventListener('keydown', (event) => this.keyDown(event));
    window.addEventListener('keyup', (event) => this.keyUp(event));
    // Keys released while the tab was not looking would steer on forever.
    window.addEventListener('blur', () => this.steer(this.steering.clear(this.joined())));
    this.canvas.addEventListener('click', (event) => this.clicked(event));
    const frame = () => {
      this.draw();
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  private keyDown(event: KeyboardEvent): void {
    if (typing(event)) return;
    if (isMoveKey(event.code)) {
      event.preventDefault();
      this.steer(this.steering.press(event.code, this.joined()));
    } else if (isAttackKey(event.code)) {
      event.preventDefault();
      const self = this.client.zone?.self;
      const target = self && nearestMonster(self, this.client.zone!.entities.values());
      if (target) this.attack(target.id);
      else this.say('No monster in sight.');
    }
  }

  private keyUp(event: KeyboardEvent): void {
    if (isMoveKey(event.code)) this.steer(this.steering.release(event.code, this.joined()));
  }

  private joined(): boolean {
    return this.client.zone !== undefined;
  }

  /** Sends the heading `Steering` answered, if any. */
  private steer(heading: Heading | undefined): void {
    if (heading) this.client.move(heading.x, heading.y);
  }

  private clicked(event: MouseEvent): void {
    const zone = this.client.zone;
    const camera = this.camera();
    if (!zone?.self || !camera) return;
    const box = this.canvas.getBoundingClientRect();
    const pixel = { x: ((event.clientX - box.left) * this.canvas.width) / box.width, y: ((event.clientY - box.top) * this.canvas.height) / box.height };
    const target = clickTarget(toWorld(camera, pixel), zone.self, this.drawnEntities(performance.now()), PICK_RADIUS / SCALE);
    if (target) this.attack(target.id);
  }

  /** One attack at a time: a held key repeats faster than the zone's cooldown, and the socket is rate limited. */
  private attack(targetId: string): void {
    if (this.attacking) return;
    this.attacking = true;
    this.targetId = targetId;
    this.client
      .attack(targetId)
      .catch((error: unknown) => this.say(problemText(error)))
      .finally(() => (this.attacking = false));
  }

  private definition(): ZoneDefinition | undefined {
    return this.client.zone && zoneOf(this.client.zone.zoneId);
  }

  private camera(now = performance.now()): Camera | undefined {
    const zone = this.client.zone;
    const definition = this.definition();
    if (!zone || !definition) return undefined;
    const centre = (zone.self && this.smooth.positionOf(zone.self.id, now)) ?? zone.self ?? definition.spawn;
    return { centre, width: this.canvas.width, height: this.canvas.height, scale: SCALE };
  }

  private drawnEntities(now: number): DrawnEntity[] {
    const entities = this.client.zone?.entities.values() ?? [];
    return [...entities].map((entity) => ({ ...entity, ...(this.smooth.positionOf(entity.id, now) ?? entity) }));
  }

  private draw(): void {
    const now = performance.now();
    const context = this.canvas.getContext('2d');
    const camera = this.camera(now);
    const zone = this.definition();
    if (!context || !camera || !zone) return;
    drawZone(context, { camera, zone, selfId: this.client.playerId, entities: this.drawnEntities(now), targetId: this.targetId });
  }
}

/** Keys typed into a form field are text, not steering. */
const typing = (event: KeyboardEvent) => event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
