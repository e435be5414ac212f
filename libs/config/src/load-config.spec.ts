import { commonEnvSchema, DEFAULT_DATABASE_URL, toAppConfig } from './app-config';
import { gatewayEnvSchema, toGatewayConfig } from './gateway-config';
import { problemsOf } from './config-problems.testing';
import { parseEnv, redactUrl } from './load-config';
import { topicsEnvSchema } from './topics-config';
import { zoneEnvSchema } from './zone-config';

describe('configuration', () => {
  it('falls back to the local defaults of PROTOCOL.md when nothing is set', () => {
    const config = toAppConfig('inventory', parseEnv(commonEnvSchema, {}));
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.database.url).toBe(DEFAULT_DATABASE_URL);
    expect(config.http.port).toBe(3001);
    expect(config.instanceId).toMatch(/^inventory-/);
  });

  it('splits a broker list and trims its entries', () => {
    const env = parseEnv(commonEnvSchema, { KAFKA_BROKERS: 'a:9092, b:9093' });
    expect(env.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
  });

  it('treats an empty variable as unset', () => {
    expect(parseEnv(commonEnvSchema, { PORT: '' }).PORT).toBeUndefined();
  });

  it.each([
    ['KAFKA_BROKERS', 'localhost'],
    ['KAFKA_BROKERS', 'a:9092,,b:9092'],
    ['DATABASE_URL', 'mysql://x@y/z'],
    ['DATABASE_URL', 'not a url'],
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '3.5'],
    ['NODE_ENV', 'staging'],
    ['TOPIC_PREFIX', 'has space'],
    ['INSTANCE_ID', 'bad/id'],
  ])('names %s when it is %j', (variable, value) => {
    const problems = problemsOf(() => parseEnv(commonEnvSchema, { [variable]: value }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${variable}: `));
  });

  it.each([
    ['ZONE_TICK_MS', '5', 'expected at least 50'],
    ['ZONE_TICK_MS', '5000', 'expected at most 1000'],
    ['ENGINE_MAX_BATCH', '20000', 'expected at most 10000'],
    ['KAFKA_SESSION_TIMEOUT_MS', '1000', 'expected at least 6000'],
    ['SNAPSHOT_EVERY_MS', '0', 'expected at least 1'],
    ['SNAPSHOT_EVERY_RECORDS', '2.5', 'expected a whole number'],
    ['KAFKA_PARTITIONS', '5000', 'expected at most 1000'],
  ])('tells %s=%j which rule it breaks', (variable, value, message) => {
    const schema = variable === 'KAFKA_PARTITIONS' ? topicsEnvSchema : zoneEnvSchema;
    expect(problemsOf(() => parseEnv(schema, { [variable]: value }))).toEqual([`${variable}: ${message} (got ${JSON.stringify(value)})`]);
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf(() => parseEnv(commonEnvSchema, { PORT: 'x', KAFKA_BROKERS: 'y' }));
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['KAFKA_BROKERS', 'PORT']);
  });

  it('never echoes the value of a secret or the database URL', () => {
    const problems = problemsOf(() => parseEnv(gatewayEnvSchema, { ADMIN_TOKEN: 'short-secret', DATABASE_URL: 'mysql://user:hunter2@db/x' }));
    expect(problems.join('\n')).not.toMatch(/short-secret|hunter2/);
    expect(problems.join('\n')).toMatch(/ADMIN_TOKEN/);
  });

  it('hides the password of a URL it shows', () => {
    expect(redactUrl('postgres://game:hunter2@db:5432/x')).toBe('postgres://game:***@db:5432/x');
    expect(redactUrl('postgres://game@db/x')).toBe('postgres://game@db/x');
    expect(redactUrl('not a url with hunter2')).toBe('(not a URL)');
  });

  describe('gateway', () => {
    it('uses development secrets outside production and says so', () => {
      const config = toGatewayConfig(parseEnv(gatewayEnvSchema, {}));
      expect(config.auth.usingDevSecrets).toBe(true);
      expect(config.http.port).toBe(3000);
    });
    // Production secrets: gateway-config.spec.ts.
  });

  describe('topics', () => {
    it('defaults to 8 partitions, replication 1, a week of command retention', () => {
      const env = parseEnv(topicsEnvSchema, {});
      expect([env.KAFKA_PARTITIONS, env.KAFKA_REPLICATION_FACTOR, env.COMMAND_RETENTION_MS]).toEqual([8, 1, 604_800_000]);
    });

    it('rejects a partition count of zero', () => {
      expect(problemsOf(() => parseEnv(topicsEnvSchema, { KAFKA_PARTITIONS: '0' }))[0]).toMatch(/^KAFKA_PARTITIONS: /);
    });
  });
});
