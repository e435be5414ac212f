import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The analytics read models (docs/analytics.md), projections of the events topics. Each batch's rows and its
 * partition's position (`analytics_positions`) are written in one transaction: the position is what makes the
 * projection exactly once. Losing these tables loses no game data: the projection rebuilds them from the log.
 */
export class CreateAnalyticsReadModels1796500000000 implements MigrationInterface {
  name = 'CreateAnalyticsReadModels1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "analytics_positions" (
        "topic" text NOT NULL,
        "partition" integer NOT NULL,
        "next_offset" bigint NOT NULL,
        "latest_claim" bigint NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "analytics_positions_pkey" PRIMARY KEY ("topic", "partition")
      )`);
    await queryRunner.query(`
      CREATE TABLE "analytics_economy_minutes" (
        "minute" timestamptz NOT NULL,
        "asset_kind" text NOT NULL CHECK ("asset_kind" IN ('gold', 'item')),
        "item_id" text NOT NULL,
        "granted" bigint NOT NULL DEFAULT 0,
        "looted" bigint NOT NULL DEFAULT 0,
        "consumed" bigint NOT NULL DEFAULT 0,
        "transferred" bigint NOT NULL DEFAULT 0,
        CONSTRAINT "analytics_economy_minutes_pkey" PRIMARY KEY ("minute", "asset_kind", "item_id")
      )`);
    // One row per event; its place in the log is unique, so an event projected twice fails its batch instead of counting twice.
    await queryRunner.query(`
      CREATE TABLE "analytics_player_events" (
        "id" bigserial PRIMARY KEY,
        "player_id" text NOT NULL,
        "at" timestamptz NOT NULL,
        "service" text NOT NULL,
        "type" text NOT NULL,
        "event" jsonb NOT NULL,
        "command_id" text NOT NULL,
        "topic" text NOT NULL,
        "partition" integer NOT NULL,
        "offset" bigint NOT NULL,
        "event_index" integer NOT NULL,
        CONSTRAINT "analytics_player_events_place" UNIQUE ("topic", "partition", "offset", "event_index")
      )`);
    await queryRunner.query(`CREATE INDEX "analytics_player_events_by_player" ON "analytics_player_events" ("player_id", "id")`);
    await queryRunner.query(`
      CREATE TABLE "analytics_zone_stats" (
        "zone_id" text PRIMARY KEY,
        "kills" bigint NOT NULL DEFAULT 0,
        "loot_gold" bigint NOT NULL DEFAULT 0
      )`);
    await queryRunner.query(`
      CREATE TABLE "analytics_zone_loot_items" (
        "zone_id" text NOT NULL,
        "item_id" text NOT NULL,
        "quantity" bigint NOT NULL DEFAULT 0,
        CONSTRAINT "analytics_zone_loot_items_pkey" PRIMARY KEY ("zone_id", "item_id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['analytics_zone_loot_items', 'analytics_zone_stats', 'analytics_player_events', 'analytics_economy_minutes', 'analytics_positions']) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}
