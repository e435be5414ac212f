import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { runMain } from './lib/run-main';

/** The web pages the gateway serves (`/` and `/admin/`): each page's `main.ts` bundled, with its static files beside it. */
const PAGES = ['player', 'admin'] as const;
/** What a page serves as it is, beside its bundle; sources, specs and configuration stay behind. */
const STATIC_FILE = /\.(html|css|svg|png|ico|webmanifest)$/;
const source = resolve(__dirname, '..', 'apps', 'gateway', 'web');
const output = resolve(__dirname, '..', 'dist', 'web');

runMain(async () => {
  for (const page of PAGES) {
    const out = join(output, page);
    // Emptied first: a file removed from the page's sources must not stay served from an earlier build.
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    for (const file of readdirSync(join(source, page))) {
      if (STATIC_FILE.test(file)) cpSync(join(source, page, file), join(out, file));
    }
    // The browser is the platform: anything reaching for a Node built-in fails the build, not a player's tab.
    await build({
      entryPoints: [join(source, page, 'main.ts')],
      outfile: join(out, 'main.js'),
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2020',
      minify: true,
      sourcemap: true,
      tsconfig: join(source, 'tsconfig.json'),
      logLevel: 'warning',
    });
    console.log(`[web] ${page} -> ${out}`);
  }
});
