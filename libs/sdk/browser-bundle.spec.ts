import { build } from 'esbuild';
import { sdkBrowserBundle } from './browser-bundle';

describe('the SDK in a browser', () => {
  it('bundles for the browser platform with the browser build of socket.io-client and no Node module', async () => {
    const result = await build(sdkBrowserBundle());

    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile!.inputs);
    expect(inputs).toContainEqual(expect.stringMatching(/socket\.io-client\/build\/esm\//));
    // `ws` is engine.io-client's Node transport; in a browser it uses the native WebSocket.
    expect(inputs.filter((input) => /node_modules\/(ws|debug|supports-color)\/|^node:/.test(input))).toEqual([]);
    expect(result.outputFiles![0].text).toContain('inventory:command');
  });
});
