import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each snapshot keeps the text of the checkpoint record it was taken on, so the log it claims to come from can
 * confirm it. Rows from before have none and are never used again: a missing proof is not agreement.
 */
export class BindSnapshotsToTheirLog1765000000000 implements MigrationInterface {
  name = 'BindSnapshotsToTheirLog1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "partition_snapshots" ADD COLUMN "checkpoint" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "partition_snapshots" DROP COLUMN "checkpoint"`);
  }
}
