import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A player's analytics history is read oldest first by the time of its commands, then by its place in the log
 * (docs/analytics.md), not by the order rows were projected in (`id`): a player's inventory and zone events sit in
 * different partitions, projected at once or in any order after a rebuild. This index serves that order and its keyset
 * paging; the one by (player_id, id) serves nothing any more.
 */
export class OrderAnalyticsHistoryByTime1796520000000 implements MigrationInterface {
  name = 'OrderAnalyticsHistoryByTime1796520000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX "analytics_player_events_by_player_time"
        ON "analytics_player_events" ("player_id", "at", "service", "topic", "partition", "offset", "event_index")`);
    await queryRunner.query(`DROP INDEX "analytics_player_events_by_player"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "analytics_player_events_by_player" ON "analytics_player_events" ("player_id", "id")`);
    await queryRunner.query(`DROP INDEX "analytics_player_events_by_player_time"`);
  }
}
