import { Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { GatewayConfig } from '@app/config';
import { APP_CONFIG } from '@app/platform';
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
  constructor(
    @InjectRepository(PlayerEntity) private readonly players: Repository<PlayerEntity>,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * The stored player of this name (in any case) if there is one: players registered under an earlier
   * derivation of ids (the unkeyed hash) or another PLAYER_ID_SECRET keep their id, and so their inventory.
   * Only a new name gets a freshly derived id.
   */
  async register(name: string): Promise<Player> {
    const known = await this.byName(name);
    if (known) return known;
    // ON CONFLICT DO NOTHING, on the id or on lower(name): a concurrent first login of the same name
    // (even from a gateway deriving ids otherwise) waits for the other insert and then reads its row.
    await this.players
      .createQueryBuilder()
      .insert()
      .values({ id: playerIdOf(name, this.config.auth.playerIdSecret), name })
      .orIgnore()
      .execute();
    const player = await this.byName(name);
    if (!player) throw new Error(`player ${name} was neither found nor inserted`);
    return player;
  }

  /** The registered player of this name (in any case), or undefined: unlike `register`, never creates one. */
  find(name: string): Promise<Player | undefined> {
    return this.byName(name);
  }

  /** `find` for an HTTP answer: 404 `not_found` when nobody has the name, 503 `unavailable` when the table cannot be read. */
  async named(name: string): Promise<Player> {
    const player = await this.byName(name).catch(() => {
      throw new ServiceUnavailableException({ error: { code: 'unavailable', message: 'the player store is unreachable; retry' } });
    });
    if (!player) throw new NotFoundException({ error: { code: 'not_found', message: `no player is named ${name}` } });
    return player;
  }

  private async byName(name: string): Promise<Player | undefined> {
    // lower(name) is what the unique index players_name_lower_unique covers.
    const row = await this.players.createQueryBuilder('player').where('lower(player.name) = lower(:name)', { name }).getOne();
    return row ? { playerId: row.id, name: row.name } : undefined;
  }
}
