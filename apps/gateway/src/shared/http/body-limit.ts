import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ExpressAdapter } from '@nestjs/platform-express';

/** Largest request body the gateway reads: what it takes is a few short fields, not Nest's default 100 kB. */
export const BODY_LIMIT = '4kb';

/**
 * Installs the JSON and form body parsers with BODY_LIMIT. It works from a provider's constructor
 * because Nest creates providers in NestFactory.create, before it registers its own parsers at init,
 * and it skips a parser of a kind already installed (the mechanism behind app.useBodyParser, which
 * startApp gives the gateway no chance to call).
 */
@Injectable()
export class BodyLimit {
  constructor(host: HttpAdapterHost<ExpressAdapter>) {
    const adapter = host.httpAdapter;
    if (!adapter) throw new Error('BodyLimit needs the HTTP adapter when providers are created (NestFactory.create)');
    adapter.useBodyParser('json', false, { limit: BODY_LIMIT });
    adapter.useBodyParser('urlencoded', false, { limit: BODY_LIMIT, extended: true });
  }
}
