import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Player } from './players.service';

/** How long a player token is good for; a client logs in again (same name, same player) after it. */
export const PLAYER_TOKEN_TTL_SECONDS = 24 * 60 * 60;

interface PlayerClaims {
  sub: string;
  name: string;
}

/** Signed player tokens (JWT, HS256 with JWT_SECRET): who a socket belongs to, with no database look-up. */
@Injectable()
export class PlayerTokens {
  constructor(private readonly jwt: JwtService) {}

  issue(player: Player): string {
    return this.jwt.sign({ sub: player.playerId, name: player.name } satisfies PlayerClaims);
  }

  /** The player a token names, or undefined for anything that is not a valid, unexpired token of ours. */
  verify(token: unknown): Player | undefined {
    if (typeof token !== 'string') return undefined;
    try {
      const claims = this.jwt.verify<Partial<PlayerClaims>>(token);
      if (typeof claims.sub !== 'string' || typeof claims.name !== 'string') return undefined;
      return { playerId: claims.sub, name: claims.name };
    } catch {
      return undefined;
    }
  }
}
