import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Binds each analytics position to the log it was read from (docs/analytics.md, "A log replaced under the same name"):
 * the offset and digest of the last record projected, written in the same transaction as the position. A topic deleted
 * and created again under the same name no longer holds that record, so the projection can tell and stop instead of
 * skipping the new log's records as projected. `stopped` says why a partition stopped for good (until the read models
 * are rebuilt); `refused` names a record this version cannot read (events of a newer version), cleared once one does.
 * Rows stored before have no binding (NULL) and keep working as before; their next batch binds them.
 */
export class BindAnalyticsPositionsToTheirLog1796510000000 implements MigrationInterface {
  name = 'BindAnalyticsPositionsToTheirLog1796510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "analytics_positions"
        ADD COLUMN "last_offset" bigint,
        ADD COLUMN "last_digest" text,
        ADD COLUMN "stopped" text,
        ADD COLUMN "refused" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "analytics_positions" DROP COLUMN "refused", DROP COLUMN "stopped", DROP COLUMN "last_digest", DROP COLUMN "last_offset"`);
  }
}
