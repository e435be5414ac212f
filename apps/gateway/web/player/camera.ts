import type { Point } from './interpolation';

/** What the canvas shows: `scale` pixels per world unit, with `centre` (the player) in the middle of the canvas. */
export interface Camera {
  centre: Point;
  width: number;
  height: number;
  scale: number;
}

/** Where a world point lands on the canvas. */
export const toScreen = ({ centre, width, height, scale }: Camera, point: Point): Point => ({
  x: width / 2 + (point.x - centre.x) * scale,
  y: height / 2 + (point.y - centre.y) * scale,
});

/** Which world point a canvas pixel shows (a click). */
export const toWorld = ({ centre, width, height, scale }: Camera, pixel: Point): Point => ({
  x: centre.x + (pixel.x - width / 2) / scale,
  y: centre.y + (pixel.y - height / 2) / scale,
});

/** The world rectangle in view, for drawing only what shows (the grid). */
export function visibleWorld(camera: Camera): { left: number; top: number; right: number; bottom: number } {
  const topLeft = toWorld(camera, { x: 0, y: 0 });
  const bottomRight = toWorld(camera, { x: camera.width, y: camera.height });
  return { left: topLeft.x, top: topLeft.y, right: bottomRight.x, bottom: bottomRight.y };
}
