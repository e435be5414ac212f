import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

/** Debian's `chromium` package (installed by .ci/run); `CHROMIUM_PATH` names another build. Never a download. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((path): path is string => !!path);
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`no Chromium at ${candidates.join(', ')}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  return found;
}

/** Headless Chromium for end-to-end tests of the web pages; close it in afterAll. */
export function launchBrowser(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
}
