import { Injectable } from '@nestjs/common';
import { PlayerTokens } from './player-tokens.service';
import { PlayersService } from './players.service';

/** Guest login: the name is the whole identity (PROTOCOL.md), so logging in registers the player if new. */
@Injectable()
export class GuestAuthService {
  constructor(
    private readonly players: PlayersService,
    private readonly tokens: PlayerTokens,
  ) {}

  async login(name: string): Promise<{ playerId: string; token: string }> {
    const player = await this.players.register(name);
    return { playerId: player.playerId, token: this.tokens.issue(player) };
  }
}
