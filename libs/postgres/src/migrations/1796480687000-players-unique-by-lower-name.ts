import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login looks a player up by its name in any case and keeps the id stored with it (ids were once an
 * unkeyed hash of the lower-cased name; new ones are keyed). This index serves that look-up and makes a
 * name one player even when two gateways derive different ids for it (a rolling upgrade, or gateways
 * configured with different PLAYER_ID_SECRETs). Existing rows satisfy it: under the old derivation two
 * names equal but for case had the same id, which the primary key already kept unique.
 */
export class PlayersUniqueByLowerName1796480687000 implements MigrationInterface {
  name = 'PlayersUniqueByLowerName1796480687000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE UNIQUE INDEX "players_name_lower_unique" ON "players" (lower("name"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "players_name_lower_unique"`);
  }
}
