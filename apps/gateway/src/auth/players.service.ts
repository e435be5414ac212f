import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PlayerEntity } from '@app/postgres';
import { playerIdOf } from './guest-login';

export interface Player {
  playerId: string;
  /** The spelling the player first logged in with; later logins in another case keep it. */
  name: string;
}

/** The `players` table: one row per player, created on first login. */
@Injectable()
export class PlayersService {
  constructor(@InjectRepository(PlayerEntity) private readonly players: Repository<PlayerEntity>) {}

  async register(name: string): Promise<Player> {
    const id = playerIdOf(name);
    // ON CONFLICT DO NOTHING: a concurrent first login of the same name waits for the other
    // insert and then keeps its row. The read is a separate statement so that it sees that row.
    await this.players.createQueryBuilder().insert().values({ id, name }).orIgnore().execute();
    const player = await this.players.findOneByOrFail({ id });
    return { playerId: player.id, name: player.name };
  }
}
