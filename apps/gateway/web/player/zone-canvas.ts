import type { ZoneDefinition } from '@app/zone/zone-catalog';
import { Camera, toScreen, visibleWorld } from './camera';
import type { Point } from './interpolation';

/** An entity as drawn this frame: where the interpolation puts it, with what the last tick said of it. */
export interface DrawnEntity extends Point {
  id: string;
  kind: 'player' | 'monster';
  hp: number;
}

export interface ZoneFrame {
  camera: Camera;
  zone: ZoneDefinition;
  selfId: string;
  entities: DrawnEntity[];
  /** The monster last attacked, marked while in sight. */
  targetId?: string;
}

const GRID = 100;
const COLOURS = { outside: '#1d2b1f', ground: '#3f6b3a', grid: 'rgba(255,255,255,0.07)', self: '#f4d35e', player: '#7fb7ff', monster: '#e4572e' };

/** Draws one frame of the zone: the ground and its edge, a grid to see movement by, monsters, players, hp bars. */
export function drawZone(context: CanvasRenderingContext2D, frame: ZoneFrame): void {
  const { camera, zone } = frame;
  context.fillStyle = COLOURS.outside;
  context.fillRect(0, 0, camera.width, camera.height);
  const corner = toScreen(camera, { x: 0, y: 0 });
  context.fillStyle = COLOURS.ground;
  context.fillRect(corner.x, corner.y, zone.width * camera.scale, zone.height * camera.scale);
  drawGrid(context, camera, zone);

  const self = frame.entities.find((entity) => entity.id === frame.selfId);
  if (self) ring(context, toScreen(camera, self), zone.player.attackRange * camera.scale, 'rgba(244,211,94,0.25)');
  // Monsters under players, the player on top of everything.
  const order = (entity: DrawnEntity) => (entity.id === frame.selfId ? 2 : entity.kind === 'player' ? 1 : 0);
  for (const entity of [...frame.entities].sort((a, b) => order(a) - order(b))) {
    const at = toScreen(camera, entity);
    const isSelf = entity.id === frame.selfId;
    const radius = (entity.kind === 'monster' ? 16 : 14) * Math.max(camera.scale, 0.6);
    const maxHp = entity.kind === 'monster' ? zone.monster.hp : zone.player.hp;
    context.globalAlpha = entity.hp > 0 ? 1 : 0.35;
    disc(context, at, radius, isSelf ? COLOURS.self : entity.kind === 'monster' ? COLOURS.monster : COLOURS.player);
    if (entity.id === frame.targetId) ring(context, at, radius + 5, '#ffffff');
    hpBar(context, at, radius, entity.hp / maxHp);
    if (isSelf) label(context, { x: at.x, y: at.y + radius + 14 }, 'you', 12);
    context.globalAlpha = 1;
  }
  if (self && self.hp <= 0) label(context, { x: camera.width / 2, y: camera.height / 3 }, 'You fell. Back at the spawn point soon…', 22);
}

function drawGrid(context: CanvasRenderingContext2D, camera: Camera, zone: ZoneDefinition): void {
  const view = visibleWorld(camera);
  context.strokeStyle = COLOURS.grid;
  context.lineWidth = 1;
  context.beginPath();
  for (let x = Math.max(0, Math.ceil(view.left / GRID) * GRID); x <= Math.min(zone.width, view.right); x += GRID) {
    const from = toScreen(camera, { x, y: Math.max(0, view.top) });
    const to = toScreen(camera, { x, y: Math.min(zone.height, view.bottom) });
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
  }
  for (let y = Math.max(0, Math.ceil(view.top / GRID) * GRID); y <= Math.min(zone.height, view.bottom); y += GRID) {
    const from = toScreen(camera, { x: Math.max(0, view.left), y });
    const to = toScreen(camera, { x: Math.min(zone.width, view.right), y });
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
  }
  context.stroke();
}

function disc(context: CanvasRenderingContext2D, at: Point, radius: number, colour: string): void {
  context.fillStyle = colour;
  context.beginPath();
  context.arc(at.x, at.y, radius, 0, Math.PI * 2);
  context.fill();
  context.strokeStyle = 'rgba(0,0,0,0.5)';
  context.lineWidth = 2;
  context.stroke();
}

function ring(context: CanvasRenderingContext2D, at: Point, radius: number, colour: string): void {
  context.strokeStyle = colour;
  context.lineWidth = 2;
  context.beginPath();
  context.arc(at.x, at.y, radius, 0, Math.PI * 2);
  context.stroke();
}

function label(context: CanvasRenderingContext2D, at: Point, text: string, size: number): void {
  context.font = `600 ${size}px system-ui, sans-serif`;
  context.textAlign = 'center';
  context.fillStyle = '#ffffff';
  context.strokeStyle = 'rgba(0,0,0,0.7)';
  context.lineWidth = 3;
  context.strokeText(text, at.x, at.y);
  context.fillText(text, at.x, at.y);
}

function hpBar(context: CanvasRenderingContext2D, at: Point, radius: number, fraction: number): void {
  const width = radius * 2.4;
  const left = at.x - width / 2;
  const top = at.y - radius - 10;
  context.fillStyle = 'rgba(0,0,0,0.6)';
  context.fillRect(left, top, width, 5);
  context.fillStyle = fraction > 0.5 ? '#5fd35f' : fraction > 0.25 ? '#f0c03c' : '#e0443c';
  context.fillRect(left, top, width * Math.max(0, Math.min(1, fraction)), 5);
}
