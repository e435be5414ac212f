import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { INestApplication, Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';

/**
 * The built pages (scripts/build-web.ts writes `dist/web`): searched upwards from here, which finds them both from the
 * compiled gateway (`dist/apps/gateway/...`) and from its sources.
 */
export function webRoot(from = __dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'dist', 'web');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The player's page at `/` and the operator's dashboard at `/admin/` (PROTOCOL.md "Web pages"). Static files only:
 * a path that names no file falls through to the API routes (`/admin/economy` and the like).
 */
export function serveWebPages(app: INestApplication, root = webRoot()): void {
  if (!root) {
    new Logger('web').warn('no built web pages (dist/web): run `npm run build`; / and /admin/ are not served');
    return;
  }
  const express = app as NestExpressApplication;
  express.useStaticAssets(join(root, 'admin'), { prefix: '/admin/', index: 'index.html' });
  express.useStaticAssets(join(root, 'player'), { index: 'index.html' });
}
