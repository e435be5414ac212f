import { z } from 'zod';
import { AppConfig, commonEnvSchema, toAppConfig } from './app-config';

export const DEV_ADMIN_TOKEN = 'dev-admin-token';
export const DEV_JWT_SECRET = 'dev-jwt-secret-not-for-production';

const secret = z.string().min(16, 'expected at least 16 characters');

export const gatewayEnvSchema = commonEnvSchema
  .extend({ ADMIN_TOKEN: secret.optional(), JWT_SECRET: secret.optional() })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    for (const name of ['ADMIN_TOKEN', 'JWT_SECRET'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required when NODE_ENV=production' });
    }
  });

export interface GatewayConfig extends AppConfig {
  auth: { adminToken: string; jwtSecret: string; usingDevSecrets: boolean };
}

export function toGatewayConfig(env: z.output<typeof gatewayEnvSchema>): GatewayConfig {
  return {
    ...toAppConfig('gateway', env),
    auth: {
      adminToken: env.ADMIN_TOKEN ?? DEV_ADMIN_TOKEN,
      jwtSecret: env.JWT_SECRET ?? DEV_JWT_SECRET,
      usingDevSecrets: !env.ADMIN_TOKEN || !env.JWT_SECRET,
    },
  };
}
