import { kafkaClientConfig } from './kafka-client';

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
});
