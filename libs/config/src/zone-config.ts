import { DEFAULT_SNAPSHOT_EVERY_TICKS, DEFAULT_TICK_MS } from '@app/zone';
import { z } from 'zod';
import { EngineConfig, engineEnvSchema, toEngineConfig } from './engine-config';
import { wholeNumber } from './env-fields';

/** A zone host reads the engine's variables and its tick. */
export const zoneEnvSchema = engineEnvSchema.extend({
  // At least 50: the zone takes out players silent for 3,000 ticks, which must stay well above the SDK's keepalive.
  ZONE_TICK_MS: wholeNumber(50, 1_000).default(DEFAULT_TICK_MS),
  ZONE_SNAPSHOT_EVERY_TICKS: wholeNumber(1, 1_000_000).default(DEFAULT_SNAPSHOT_EVERY_TICKS),
});

export interface ZoneConfig extends EngineConfig {
  zone: { tickMs: number; snapshotEveryTicks: number };
}

export function toZoneConfig(env: z.output<typeof zoneEnvSchema>): ZoneConfig {
  return { ...toEngineConfig('zone', env), zone: { tickMs: env.ZONE_TICK_MS, snapshotEveryTicks: env.ZONE_SNAPSHOT_EVERY_TICKS } };
}
