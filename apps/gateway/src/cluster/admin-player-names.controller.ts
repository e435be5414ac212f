import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { guestLoginSchema } from '../auth/guest-login';
import { Player, PlayersService } from '../auth/players.service';
import { AdminTokenGuard } from '../shared/admin/admin-token.guard';
import { ZodPipe } from '../shared/http/zod.pipe';

/**
 * A player's id by name, for the dashboard's player lookup (players look each other up at `GET /players/by-name`).
 * Not under `admin/players/`, whose `:playerId/inventory` would take a player named `inventory`.
 */
@ApiTags('admin')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'missing or wrong admin token' })
@Controller('admin/player-names')
@UseGuards(AdminTokenGuard)
export class AdminPlayerNamesController {
  constructor(private readonly players: PlayersService) {}

  @Get(':name')
  @ApiResponse({
    status: 200,
    description: 'the registered player of this name, in any case (name: the spelling it first logged in with)',
    schema: { type: 'object', properties: { playerId: { type: 'string' }, name: { type: 'string' } } },
  })
  @ApiResponse({ status: 400, description: 'not a valid name (1-32 of A-Z, a-z, 0-9, _ and -)' })
  @ApiResponse({ status: 404, description: 'no player has this name' })
  @ApiResponse({ status: 503, description: 'the player store is unreachable (`unavailable`); retry' })
  byName(@Param('name', new ZodPipe(guestLoginSchema.shape.name)) name: string): Promise<Player> {
    return this.players.named(name);
  }
}
