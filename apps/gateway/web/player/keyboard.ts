/** A heading as `zone:input` takes it: each axis -1, 0 or 1 (y grows downwards, as on the canvas). */
export interface Heading {
  x: -1 | 0 | 1;
  y: -1 | 0 | 1;
}

/** Keys by `KeyboardEvent.code` (where the key is, whatever the layout): the arrows and WASD. */
const MOVES: Readonly<Record<string, Partial<Heading>>> = {
  ArrowUp: { y: -1 },
  KeyW: { y: -1 },
  ArrowDown: { y: 1 },
  KeyS: { y: 1 },
  ArrowLeft: { x: -1 },
  KeyA: { x: -1 },
  ArrowRight: { x: 1 },
  KeyD: { x: 1 },
};

/** Keys that attack the nearest monster. */
const ATTACKS = new Set(['Space', 'KeyF']);

export const isMoveKey = (code: string): boolean => Object.hasOwn(MOVES, code);
export const isAttackKey = (code: string): boolean => ATTACKS.has(code);

/** Where the keys held down steer: opposite keys cancel out, so holding left and right stands still. */
export function headingOf(held: Iterable<string>): Heading {
  let x = 0;
  let y = 0;
  for (const code of new Set(held)) {
    if (!isMoveKey(code)) continue;
    x += MOVES[code].x ?? 0;
    y += MOVES[code].y ?? 0;
  }
  return { x: Math.sign(x) as Heading['x'], y: Math.sign(y) as Heading['y'] };
}

export const sameHeading = (a: Heading, b: Heading): boolean => a.x === b.x && a.y === b.y;
