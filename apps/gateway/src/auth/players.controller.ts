import { Controller, Get, Param, UseGuards } from '@nestjs/common';
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
  byName(@Param('name', new ZodPipe(guestLoginSchema.shape.name)) name: string): Promise<Player> {
    return this.players.named(name);
  }
}
