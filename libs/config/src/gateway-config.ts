import { directGatewayEnvFields } from './direct-config';
import { GatewayDrainConfig, gatewayDrainEnvFields, toGatewayDrainConfig } from './drain-config';
import { z } from 'zod';
import { AppConfig, commonEnvSchema, toAppConfig } from './app-config';
import { DedupeConfig, dedupeEnvFields, toDedupeConfig } from './engine-config';
import { wholeNumber } from './env-fields';
import { weakSecretReason } from './secret-strength';

export const DEV_ADMIN_TOKEN = 'dev-admin-token';
export const DEV_JWT_SECRET = 'dev-jwt-secret-not-for-production';
export const DEV_PLAYER_ID_SECRET = 'dev-player-id-secret-not-for-production';

/** Logins one address may make per minute when LOGIN_RATE_PER_MINUTE is not set. */
export const DEFAULT_LOGIN_RATE_PER_MINUTE = 60;

/** Everywhere; production asks for more (secret-strength.ts). */
const MIN_ANY_SECRET = 16;
const secret = z.string().min(MIN_ANY_SECRET, `expected at least ${MIN_ANY_SECRET} characters`);

const SECRETS = ['ADMIN_TOKEN', 'JWT_SECRET', 'PLAYER_ID_SECRET'] as const;

/** Express's `trust proxy`: false (the default: the peer address is the client), true, a hop count, or addresses. */
export type TrustProxy = boolean | number | string;

const PROXY_ENTRY = /^(loopback|linklocal|uniquelocal|[0-9.]+(\/\d{1,2})?|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(\/\d{1,3})?)$/;

const trustProxy = z.string().transform((raw, ctx): TrustProxy => {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  const entries = raw.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => PROXY_ENTRY.test(entry))) return entries.join(',');
  ctx.addIssue({ code: 'custom', message: 'expected true, false, a hop count, or addresses/subnets/loopback/linklocal/uniquelocal, comma-separated' });
  return z.NEVER;
});

export const gatewayEnvSchema = commonEnvSchema
  .extend({
    ADMIN_TOKEN: secret.optional(),
    JWT_SECRET: secret.optional(),
    PLAYER_ID_SECRET: secret.optional(),
    // 0 turns the limit off (benchmarks that log in thousands of players from one address).
    LOGIN_RATE_PER_MINUTE: wholeNumber(0, 1_000_000).default(DEFAULT_LOGIN_RATE_PER_MINUTE),
    TRUST_PROXY: trustProxy.optional(),
    // Time travel (GET /admin/zones/:zoneId?atTick=T): the most log records one rebuild reads.
    ZONE_TIME_TRAVEL_MAX_RECORDS: wholeNumber(1, 10_000_000).default(20_000),
    // Time travel rebuilds zone partitions as their owners keep them: set these as on the zone service.
    ...dedupeEnvFields,
    ...directGatewayEnvFields,
    ...gatewayDrainEnvFields,
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    const seen = new Map<string, string>();
    for (const name of SECRETS) {
      const value = env[name];
      if (value !== undefined && value.length < MIN_ANY_SECRET) continue; // already told by the field's own rule
      const reason = value ? weakSecretReason(value) : 'required when NODE_ENV=production';
      const twin = value === undefined ? undefined : seen.get(value);
      if (reason) ctx.addIssue({ code: 'custom', path: [name], message: reason });
      // One leaked value must not open two doors (e.g. the admin token also forging player tokens).
      else if (twin) ctx.addIssue({ code: 'custom', path: [name], message: `must differ from ${twin}` });
      if (value && !seen.has(value)) seen.set(value, name);
    }
  });

export interface GatewayConfig extends AppConfig {
  http: AppConfig['http'] & { trustProxy: TrustProxy };
  auth: {
    adminToken: string;
    jwtSecret: string;
    /** Keys the derivation of playerIds from names (HMAC), so an id does not reveal its name. */
    playerIdSecret: string;
    usingDevSecrets: boolean;
    /** Logins per minute per client address; 0 = no limit. */
    loginRatePerMinute: number;
  };
  /** Log records one time-travel rebuild may read (older ticks are refused). */
  zoneTimeTravelMaxRecords: number;
  /** The zone owners' dedupe limits, which time travel rebuilds with. */
  zoneDedupe: DedupeConfig;
  /** Whether commands go straight to their partition's owner when it is known (else always through the commands topic). */
  directCommands: boolean;
  /** The owners' DIRECT_SECRET, sent with every request on an owner link. */
  directSecret?: string;
  /** What a planned stop tells clients and how long it gives them. */
  drain: GatewayDrainConfig;
}

export function toGatewayConfig(env: z.output<typeof gatewayEnvSchema>): GatewayConfig {
  const app = toAppConfig('gateway', env);
  return {
    ...app,
    http: { ...app.http, trustProxy: env.TRUST_PROXY ?? false },
    auth: {
      adminToken: env.ADMIN_TOKEN ?? DEV_ADMIN_TOKEN,
      jwtSecret: env.JWT_SECRET ?? DEV_JWT_SECRET,
      playerIdSecret: env.PLAYER_ID_SECRET ?? DEV_PLAYER_ID_SECRET,
      usingDevSecrets: !env.ADMIN_TOKEN || !env.JWT_SECRET || !env.PLAYER_ID_SECRET,
      loginRatePerMinute: env.LOGIN_RATE_PER_MINUTE,
    },
    zoneTimeTravelMaxRecords: env.ZONE_TIME_TRAVEL_MAX_RECORDS,
    zoneDedupe: toDedupeConfig(env),
    directCommands: env.DIRECT_COMMANDS === 'on',
    directSecret: env.DIRECT_SECRET,
    drain: toGatewayDrainConfig(env),
  };
}
