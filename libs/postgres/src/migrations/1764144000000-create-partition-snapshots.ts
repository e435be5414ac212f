import { MigrationInterface, QueryRunner } from 'typeorm';

/** Snapshots of a partition's in-memory state; losing them costs only replay time. */
export class CreatePartitionSnapshots1764144000000 implements MigrationInterface {
  name = 'CreatePartitionSnapshots1764144000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "partition_snapshots" (
        "stream" text NOT NULL,
        "partition" integer NOT NULL,
        "last_offset" bigint NOT NULL,
        "schema_version" integer NOT NULL,
        "state_hash" text NOT NULL,
        "state" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "partition_snapshots_pkey" PRIMARY KEY ("stream", "partition", "last_offset")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "partition_snapshots"`);
  }
}
