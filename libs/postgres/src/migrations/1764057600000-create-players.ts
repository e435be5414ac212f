import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePlayers1764057600000 implements MigrationInterface {
  name = 'CreatePlayers1764057600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "players" (
        "id" text PRIMARY KEY,
        "name" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "players_name_unique" UNIQUE ("name")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "players"`);
  }
}
