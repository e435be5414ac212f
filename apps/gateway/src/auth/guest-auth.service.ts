import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { InventoryConnection } from '../inventory/inventory.module';
import { PlayerTokens } from './player-tokens.service';
import { PlayersService } from './players.service';

const unavailable = (message: string) => new ServiceUnavailableException({ error: { code: 'unavailable', message } });

/** Guest login: the name is the whole identity (PROTOCOL.md), so logging in registers the player if new. */
@Injectable()
export class GuestAuthService {
  private readonly logger = new Logger(GuestAuthService.name);

  constructor(
    private readonly players: PlayersService,
    private readonly tokens: PlayerTokens,
    private readonly inventory: InventoryConnection,
  ) {}

  async login(name: string): Promise<{ playerId: string; token: string }> {
    // The players table is the one thing on the way into the game that needs PostgreSQL: while it is away, logins
    // are refused as retriable, and players already in keep playing.
    const player = await this.players.register(name).catch((error: unknown) => {
      this.logger.warn(`login refused, the players table is unreachable: ${(error as Error).message}`);
      throw unavailable('the player store is unreachable; retry');
    });
    await this.inventory
      .client()
      .register(player.playerId)
      .catch(() => {
        throw unavailable('the inventory service is unreachable; retry');
      });
    return { playerId: player.playerId, token: this.tokens.issue(player) };
  }
}
