import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { InventoryConnection } from '../inventory/inventory.module';
import { PlayerTokens } from './player-tokens.service';
import { PlayersService } from './players.service';

/** Guest login: the name is the whole identity (PROTOCOL.md), so logging in registers the player if new. */
@Injectable()
export class GuestAuthService {
  constructor(
    private readonly players: PlayersService,
    private readonly tokens: PlayerTokens,
    private readonly inventory: InventoryConnection,
  ) {}

  async login(name: string): Promise<{ playerId: string; token: string }> {
    const player = await this.players.register(name);
    await this.inventory
      .client()
      .register(player.playerId)
      .catch(() => {
        throw new ServiceUnavailableException({ error: { code: 'unavailable', message: 'the inventory service is unreachable; retry' } });
      });
    return { playerId: player.playerId, token: this.tokens.issue(player) };
  }
}
