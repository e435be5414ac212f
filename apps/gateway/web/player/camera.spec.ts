import { Camera, toScreen, toWorld, visibleWorld } from './camera';

describe('camera', () => {
  const camera: Camera = { centre: { x: 1_000, y: 500 }, width: 800, height: 600, scale: 0.5 };

  it('puts the centre in the middle of the canvas and scales distances', () => {
    expect(toScreen(camera, { x: 1_000, y: 500 })).toEqual({ x: 400, y: 300 });
    expect(toScreen(camera, { x: 1_100, y: 400 })).toEqual({ x: 450, y: 250 });
  });

  it('maps a pixel back to the world point it shows', () => {
    expect(toWorld(camera, toScreen(camera, { x: 37, y: 912 }))).toEqual({ x: 37, y: 912 });
    expect(visibleWorld(camera)).toEqual({ left: 200, top: -100, right: 1_800, bottom: 1_100 });
  });
});
