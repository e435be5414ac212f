import { Controller, Get, NotFoundException, Param, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Repository } from 'typeorm';
import { PlayerEntity } from '@app/postgres';
import { guestLoginSchema } from '../auth/guest-login';
import { AdminTokenGuard } from '../shared/admin/admin-token.guard';
import { ZodPipe } from '../shared/http/zod.pipe';

/**
 * A player's id by name, for the dashboard's player lookup: ids are derived from names with a secret only gateways hold
 * (PLAYER_ID_SECRET), and players registered under an earlier derivation keep theirs, so the players table is asked.
 * Not under `admin/players/`, whose `:playerId/inventory` would take a player named `inventory`.
 */
@ApiTags('admin')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'missing or wrong admin token' })
@Controller('admin/player-names')
@UseGuards(AdminTokenGuard)
export class AdminPlayerNamesController {
  constructor(@InjectRepository(PlayerEntity) private readonly players: Repository<PlayerEntity>) {}

  @Get(':name')
  @ApiResponse({
    status: 200,
    description: 'the registered player of this name, in any case (name: the spelling it first logged in with)',
    schema: { type: 'object', properties: { playerId: { type: 'string' }, name: { type: 'string' } } },
  })
  @ApiResponse({ status: 400, description: 'not a valid name (1-32 of A-Z, a-z, 0-9, _ and -)' })
  @ApiResponse({ status: 404, description: 'no player has this name' })
  @ApiResponse({ status: 503, description: 'the player store is unreachable (`unavailable`); retry' })
  async byName(@Param('name', new ZodPipe(guestLoginSchema.shape.name)) name: string): Promise<{ playerId: string; name: string }> {
    // lower(name) is what the unique index players_name_lower_unique covers.
    const row = await this.players
      .createQueryBuilder('player')
      .where('lower(player.name) = lower(:name)', { name })
      .getOne()
      .catch(() => {
        throw new ServiceUnavailableException({ error: { code: 'unavailable', message: 'the player store is unreachable; retry' } });
      });
    if (!row) throw new NotFoundException({ error: { code: 'not_found', message: `no player is named ${name}` } });
    return { playerId: row.id, name: row.name };
  }
}
