import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { PlayerTokens } from './player-tokens.service';

/** Player HTTP endpoints need `Authorization: Bearer <player token>` (the token of POST /auth/guest); else 401. */
@Injectable()
export class PlayerTokenGuard implements CanActivate {
  constructor(private readonly tokens: PlayerTokens) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const token = /^Bearer (\S+)$/.exec(header)?.[1];
    if (this.tokens.verify(token)) return true;
    throw new UnauthorizedException({ error: { code: 'unauthorized', message: 'a valid player bearer token is required' } });
  }
}
