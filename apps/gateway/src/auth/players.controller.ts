import { Controller, Get, NotFoundException, Param, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import { ZodPipe } from '../shared/http/zod.pipe';
import { guestLoginSchema } from './guest-login';
import { PlayerLookupRateLimit } from './player-lookup-rate-limit.guard';
import { PlayerTokenGuard } from './player-token.guard';
import { Player, PlayersService } from './players.service';

/**
 * Players as other players see them. A name's playerId is derived with a secret only gateways hold, so a client that
 * wants to send gold to "bob" asks here (docs/web-client.md). Only for logged-in players, and only registered names.
 */
@Controller('players')
@UseGuards(PlayerTokenGuard, PlayerLookupRateLimit)
export class PlayersController {
  constructor(private readonly players: PlayersService) {}

  @Get('by-name/:name')
  async byName(@Param('name', new ZodPipe(guestLoginSchema.shape.name)) name: string): Promise<Player> {
    const player = await this.players.find(name).catch(() => {
      throw new ServiceUnavailableException({ error: { code: 'unavailable', message: 'the player store is unreachable; retry' } });
    });
    if (!player) throw new NotFoundException({ error: { code: 'not_found', message: `no player is named ${name}` } });
    return player;
  }
}
