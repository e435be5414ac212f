import { logLevel } from 'kafkajs';
import { KafkaLog, kafkaClientConfig } from './kafka-client';

describe('kafkaClientConfig', () => {
  const base = { brokers: ['b:9093'], clientId: 'c' };

  it('connects in plaintext without authentication when nothing is configured', () => {
    const config = kafkaClientConfig(base);
    expect(config).toMatchObject({ brokers: ['b:9093'], clientId: 'c' });
    expect(config.ssl).toBeUndefined();
    expect(config.sasl).toBeUndefined();
    expect(kafkaClientConfig({ ...base, security: { ssl: false } }).ssl).toBeUndefined();
  });

  it('uses TLS with the default CAs, or with exactly the configured one', () => {
    expect(kafkaClientConfig({ ...base, security: { ssl: true } }).ssl).toBe(true);
    expect(kafkaClientConfig({ ...base, security: { ssl: true, ca: 'PEM' } }).ssl).toEqual({ ca: ['PEM'] });
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('hands kafkajs SASL %s with the credentials', (mechanism) => {
    const config = kafkaClientConfig({ ...base, security: { ssl: true, sasl: { mechanism, username: 'u', password: 'p' } } });
    expect(config.sasl).toEqual({ mechanism, username: 'u', password: 'p' });
    expect(config.ssl).toBe(true);
  });

  it('does SASL without TLS when told so (a broker on SASL_PLAINTEXT)', () => {
    const config = kafkaClientConfig({ ...base, security: { ssl: false, sasl: { mechanism: 'plain', username: 'u', password: 'p' } } });
    expect(config.ssl).toBeUndefined();
    expect(config.sasl).toEqual({ mechanism: 'plain', username: 'u', password: 'p' });
  });

  describe('log', () => {
    const entry = (level: logLevel, message: string, extra: object = {}) => ({
      namespace: 'Connection',
      level,
      label: 'WARN',
      log: { timestamp: '2026-01-01T00:00:00.000Z', logger: 'kafkajs', message, ...extra },
    });
    const logged = (...entries: ReturnType<typeof entry>[]) => {
      const lines: Parameters<KafkaLog>[] = [];
      const write = kafkaClientConfig({ ...base, log: (...line) => lines.push(line) }).logCreator!(logLevel.WARN);
      entries.forEach((each) => write(each));
      return lines;
    };

    it("hands kafkajs's entries to the configured log with their level, message and fields", () => {
      expect(logged(entry(logLevel.ERROR, 'Connection error', { broker: 'b:9093', error: 'ECONNREFUSED' }), entry(logLevel.INFO, 'joined'))).toEqual([
        ['error', 'Connection error', { namespace: 'Connection', broker: 'b:9093', error: 'ECONNREFUSED' }],
        ['info', 'joined', { namespace: 'Connection' }],
      ]);
    });

    it('leaves out what says nothing here: the idempotent writers bound their retries on purpose', () => {
      expect(logged(entry(logLevel.WARN, 'Limiting retries for the idempotent producer to 1'))).toEqual([]);
    });
  });
});
