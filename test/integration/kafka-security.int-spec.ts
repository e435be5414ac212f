import { logLevel } from 'kafkajs';
import { KafkaSecurity } from '@app/config';
import { createKafka } from '@app/kafka';
import { randomName } from '../support/random-names';
import { testBrokers, testKafkaSecurity } from '../support/test-env';

/**
 * The security settings reach the wire: against the test broker (a plaintext listener unless the run
 * configures otherwise), a client told to use SASL or TLS must fail to connect, which it only does
 * if createKafka really hands the settings to kafkajs.
 */
describe('Kafka security settings reach the connection', () => {
  const connects = async (security?: KafkaSecurity): Promise<string> => {
    const admin = createKafka({
      brokers: testBrokers(),
      clientId: randomName('security'),
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
      security,
    }).admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return 'connected';
    } catch (error) {
      return `failed: ${(error as Error).message}`;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  };

  const plaintextBroker = !testKafkaSecurity().ssl && !testKafkaSecurity().sasl;
  (plaintextBroker ? it : it.skip)('connects as configured, and fails when told to speak SASL or TLS to a plaintext listener', async () => {
    expect(await connects({ ssl: false })).toBe('connected');
    expect(await connects({ ssl: false, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } })).toMatch(/^failed: .*SASL/);
    expect(await connects({ ssl: true })).toMatch(/^failed: /);
  });
});
