import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ExpressAdapter } from '@nestjs/platform-express';
import { GatewayConfig } from '@app/config';
import { APP_CONFIG } from '@app/platform';

/**
 * Sets Express's `trust proxy` from TRUST_PROXY, which decides what `request.ip` is. Off by default: the
 * address is the TCP peer, and X-Forwarded-For is ignored, because any client can write that header.
 * Behind a reverse proxy every request comes from the proxy, so per-address limits need TRUST_PROXY set
 * to the proxy's address (or hop count) to see the clients. Set from a provider's constructor, like
 * BodyLimit, so it is in place before the first request.
 */
@Injectable()
export class TrustProxy {
  constructor(host: HttpAdapterHost<ExpressAdapter>, @Inject(APP_CONFIG) config: GatewayConfig) {
    const adapter = host.httpAdapter;
    if (!adapter) throw new Error('TrustProxy needs the HTTP adapter when providers are created (NestFactory.create)');
    adapter.set('trust proxy', config.http.trustProxy);
  }
}
