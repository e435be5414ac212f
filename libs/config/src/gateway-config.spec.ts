import { randomBytes } from 'node:crypto';
import { gatewayEnvSchema, toGatewayConfig } from './gateway-config';
import { problemsOf } from './config-problems.testing';
import { parseEnv } from './load-config';

const strong = () => randomBytes(24).toString('base64url');
const SECRETS = ['ADMIN_TOKEN', 'JWT_SECRET', 'PLAYER_ID_SECRET'] as const;
const production = (overrides: Record<string, string> = {}) => ({
  NODE_ENV: 'production',
  ADMIN_TOKEN: strong(),
  JWT_SECRET: strong(),
  PLAYER_ID_SECRET: strong(),
  ...overrides,
});

describe('gateway secrets in production', () => {
  it('accepts long random secrets', () => {
    const env = production();
    const config = toGatewayConfig(parseEnv(gatewayEnvSchema, env));
    expect(config.auth).toMatchObject({
      adminToken: env.ADMIN_TOKEN,
      jwtSecret: env.JWT_SECRET,
      playerIdSecret: env.PLAYER_ID_SECRET,
      usingDevSecrets: false,
    });
  });

  it('requires every secret', () => {
    expect(problemsOf(() => parseEnv(gatewayEnvSchema, { NODE_ENV: 'production' }))).toEqual(
      SECRETS.map((name) => `${name}: required when NODE_ENV=production`),
    );
  });

  // Every value this repository ships or ever shipped as a default: public, so worthless as a secret.
  const KNOWN = [
    'dev-admin-token',
    'dev-jwt-secret-not-for-production',
    'dev-player-id-secret-not-for-production',
    'compose-dev-admin-token',
    'compose-dev-jwt-secret-not-for-production',
  ];
  it.each(SECRETS.flatMap((name) => KNOWN.map((value) => [name, value] as const)))('refuses %s set to the shipped value %j', (name, value) => {
    const problems = problemsOf(() => parseEnv(gatewayEnvSchema, production({ [name]: value })));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}: `));
    expect(problems[0]).not.toContain(value);
  });

  it.each([
    ['shorter than 32 characters', 'Xq7#pL2$vN9@wR4!tY6%zB1&'],
    ['one character repeated', 'a'.repeat(64)],
    ['a short pattern repeated', 'abc123'.repeat(8)],
    ['a known value padded', 'compose-dev-jwt-secret-not-for-production-2'],
  ])('refuses a secret %s, naming the variable without echoing it', (_, value) => {
    for (const name of SECRETS) {
      const problems = problemsOf(() => parseEnv(gatewayEnvSchema, production({ [name]: value })));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${name}: `));
      expect(problems[0]).not.toContain(value);
    }
  });

  it('refuses one value used for two secrets', () => {
    const shared = strong();
    const problems = problemsOf(() => parseEnv(gatewayEnvSchema, production({ ADMIN_TOKEN: shared, JWT_SECRET: shared })));
    expect(problems).toEqual(['JWT_SECRET: must differ from ADMIN_TOKEN']);
  });

  it('keeps the development defaults outside production, and says so', () => {
    const config = toGatewayConfig(parseEnv(gatewayEnvSchema, {}));
    expect(config.auth.usingDevSecrets).toBe(true);
    expect(config.auth.playerIdSecret.length).toBeGreaterThan(0);
  });
});

describe('gateway login limits', () => {
  it('limits logins per address by default and reads LOGIN_RATE_PER_MINUTE', () => {
    expect(toGatewayConfig(parseEnv(gatewayEnvSchema, {})).auth.loginRatePerMinute).toBeGreaterThan(0);
    expect(toGatewayConfig(parseEnv(gatewayEnvSchema, { LOGIN_RATE_PER_MINUTE: '7' })).auth.loginRatePerMinute).toBe(7);
    expect(problemsOf(() => parseEnv(gatewayEnvSchema, { LOGIN_RATE_PER_MINUTE: 'many' }))[0]).toMatch(/^LOGIN_RATE_PER_MINUTE: /);
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['true', true],
    ['1', 1],
    ['loopback', 'loopback'],
    ['loopback, 10.0.0.0/8', 'loopback,10.0.0.0/8'],
  ])('reads TRUST_PROXY=%j as %j', (raw, expected) => {
    const env = raw === undefined ? {} : { TRUST_PROXY: raw };
    expect(toGatewayConfig(parseEnv(gatewayEnvSchema, env)).http.trustProxy).toEqual(expected);
  });

  it('refuses a TRUST_PROXY it cannot read', () => {
    expect(problemsOf(() => parseEnv(gatewayEnvSchema, { TRUST_PROXY: 'everyone please' }))[0]).toMatch(/^TRUST_PROXY: /);
  });
});

describe('gateway time travel', () => {
  it('rebuilds zones with the dedupe limits the zone owners are given, the defaults when none', () => {
    const limits = (env: Record<string, string>) => toGatewayConfig(parseEnv(gatewayEnvSchema, env)).zoneDedupe;
    expect(limits({})).toEqual({ dedupeCapacity: 10_000, retryHorizonMs: 300_000 });
    expect(limits({ ENGINE_DEDUPE_CAPACITY: '50', ENGINE_RETRY_HORIZON_MS: '60000' })).toEqual({ dedupeCapacity: 50, retryHorizonMs: 60_000 });
  });
});
