import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { GatewayConfig } from '@app/config';
import { APP_CONFIG } from '@app/platform';

/** Admin endpoints need `Authorization: Bearer <ADMIN_TOKEN>`; anything else is 401 and changes nothing. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(APP_CONFIG) config: GatewayConfig) {
    this.expected = Buffer.from(`Bearer ${config.auth.adminToken}`);
  }

  canActivate(context: ExecutionContext): boolean {
    const given = Buffer.from(context.switchToHttp().getRequest<Request>().headers.authorization ?? '');
    // Compared in constant time, so response times say nothing about how much of a guess was right.
    if (given.length === this.expected.length && timingSafeEqual(given, this.expected)) return true;
    throw new UnauthorizedException({ error: { code: 'unauthorized', message: 'a valid admin bearer token is required' } });
  }
}
