import { resolve } from 'node:path';
import { BuildOptions } from 'esbuild';

/**
 * How the SDK is bundled for browsers: one ES module with socket.io-client inside. The platform is the
 * browser, so any Node built-in reached from the SDK fails the build instead of failing in a player's tab.
 */
export const sdkBrowserBundle = (outfile?: string): BuildOptions => ({
  entryPoints: [resolve(__dirname, 'src', 'index.ts')],
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2020',
  minify: true,
  sourcemap: outfile !== undefined,
  metafile: true,
  logLevel: 'silent',
  ...(outfile ? { outfile } : { write: false }),
});
