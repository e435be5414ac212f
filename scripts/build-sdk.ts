import { build } from 'esbuild';
import { sdkBrowserBundle } from '../libs/sdk/browser-bundle';
import { runMain } from './lib/run-main';

/** `npm run build:sdk`: the game client as one ES module for browsers, in dist/sdk. */
runMain(async () => {
  const outfile = 'dist/sdk/game-client.browser.js';
  const result = await build(sdkBrowserBundle(outfile));
  console.log(`[sdk] ${outfile}: ${result.metafile!.outputs[outfile].bytes} bytes`);
});
