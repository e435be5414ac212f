import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commonEnvSchema, toAppConfig } from './app-config';
import { engineEnvSchema } from './engine-config';
import { gatewayEnvSchema } from './gateway-config';
import { problemsOf } from './config-problems.testing';
import { parseEnv } from './load-config';
import { topicsEnvSchema } from './topics-config';
import { zoneEnvSchema } from './zone-config';

const securityOf = (env: Record<string, string>) => toAppConfig('inventory', parseEnv(commonEnvSchema, env)).kafka.security;

describe('Kafka TLS and SASL settings', () => {
  it('connects in plaintext without authentication by default', () => {
    expect(securityOf({})).toEqual({ ssl: false });
  });

  it('turns TLS on with KAFKA_SSL=true, trusting the CA file it reads at start', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kafka-ca-')), 'ca.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(securityOf({ KAFKA_SSL: 'true' })).toEqual({ ssl: true });
    expect(securityOf({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: file })).toEqual({ ssl: true, ca: expect.stringContaining('BEGIN CERTIFICATE') });
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'])('takes SASL %s with its user and password', (mechanism) => {
    const env = { KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'game', KAFKA_SASL_PASSWORD: 'hunter2-secret' };
    expect(securityOf(env)).toEqual({ ssl: true, sasl: { mechanism, username: 'game', password: 'hunter2-secret' } });
  });

  it.each([
    [{ KAFKA_SSL: 'yes' }, ['KAFKA_SSL: expected true or false (got "yes")']],
    [{ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/no/such/ca.pem' }, ['KAFKA_SSL_CA_FILE: cannot read /no/such/ca.pem: ENOENT (got "/no/such/ca.pem")']],
    [{ KAFKA_SASL_MECHANISM: 'gssapi' }, ['KAFKA_SASL_MECHANISM: expected one of plain, scram-sha-256, scram-sha-512 (got "gssapi")']],
    [
      { KAFKA_SASL_MECHANISM: 'scram-sha-512' },
      ['KAFKA_SASL_USERNAME: required when KAFKA_SASL_MECHANISM is set', 'KAFKA_SASL_PASSWORD: required when KAFKA_SASL_MECHANISM is set'],
    ],
    [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'game' }, ['KAFKA_SASL_PASSWORD: required when KAFKA_SASL_MECHANISM is set']],
    [
      { KAFKA_SASL_USERNAME: 'game', KAFKA_SASL_PASSWORD: 'hunter2-secret' },
      [
        'KAFKA_SASL_USERNAME: set, but KAFKA_SASL_MECHANISM is not (plain, scram-sha-256, scram-sha-512) (got "game")',
        'KAFKA_SASL_PASSWORD: set, but KAFKA_SASL_MECHANISM is not (plain, scram-sha-256, scram-sha-512)',
      ],
    ],
  ])('refuses %j, naming what is wrong', (env, problems) => {
    expect(problemsOf(() => parseEnv(commonEnvSchema, env))).toEqual(problems);
  });

  it('refuses a CA file with TLS off instead of ignoring it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kafka-ca-')), 'ca.pem');
    writeFileSync(file, 'pem');
    expect(problemsOf(() => parseEnv(commonEnvSchema, { KAFKA_SSL_CA_FILE: file }))).toEqual([
      `KAFKA_SSL_CA_FILE: set, but KAFKA_SSL is not true (got ${JSON.stringify(file)})`,
    ]);
  });

  it('never echoes the SASL password', () => {
    const problems = problemsOf(() => parseEnv(commonEnvSchema, { KAFKA_SASL_PASSWORD: 'hunter2-secret' }));
    expect(problems.join('\n')).toMatch(/KAFKA_SASL_PASSWORD/);
    expect(problems.join('\n')).not.toMatch(/hunter2/);
  });

  it.each([
    ['gateway', gatewayEnvSchema],
    ['engine', engineEnvSchema],
    ['zone', zoneEnvSchema],
    ['topics', topicsEnvSchema],
  ] as const)('applies to every process: the %s schema checks them too', (_, schema) => {
    expect(problemsOf(() => parseEnv(schema, { KAFKA_SASL_MECHANISM: 'plain' }))).toHaveLength(2);
    const env = parseEnv(schema, { KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' });
    expect(env).toMatchObject({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'plain' });
  });
});
