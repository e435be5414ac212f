/**
 * A real worker process hosting accounts partitions, for crash, fencing and stop tests.
 * Configured by environment; answers `{ type: 'status' }` over IPC; SIGTERM stops it gracefully.
 */
import { DataSource } from 'typeorm';
import { accountsDomain } from '@app/engine/testing';
import { PartitionEngine } from '@app/engine';
import { createKafka, kafkaEnginePorts } from '@app/kafka';
import { dataSourceOptions, PostgresSnapshotStore } from '@app/postgres';
import { testKafkaSecurity } from './test-env';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};

async function main(): Promise<void> {
  const name = env('WORKER_NAME');
  const stamp = () => new Date().toISOString().slice(11, 23);
  const logger = {
    log: (message: string) => console.log(`${stamp()} ${name} ${message}`),
    warn: (message: string) => console.log(`${stamp()} ${name} WARN ${message}`),
    error: (message: string) => console.log(`${stamp()} ${name} ERROR ${message}`),
  };
  const kafka = createKafka({ brokers: env('KAFKA_BROKERS').split(','), clientId: name, security: testKafkaSecurity() });
  const admin = kafka.admin();
  await admin.connect();
  const dataSource = await new DataSource(dataSourceOptions(env('DATABASE_URL'))).initialize();
  const ports = kafkaEnginePorts({
    kafka,
    admin,
    topicPrefix: env('TOPIC_PREFIX'),
    service: 'accounts',
    sessionTimeoutMs: Number(env('SESSION_TIMEOUT_MS', '6000')),
  });
  const engine = new PartitionEngine({
    domain: accountsDomain({ holdSweepMs: Number(env('HOLD_SWEEP_MS', '0')) || undefined }),
    ...ports,
    snapshots: new PostgresSnapshotStore(dataSource),
    logger,
    options: {
      snapshotEveryRecords: Number(env('SNAPSHOT_EVERY_RECORDS', '200')),
      checkpointEveryRecords: Number(env('CHECKPOINT_EVERY_RECORDS', '50')),
    },
  });
  process.on('message', (message: { type?: string; id?: number }) => {
    if (message?.type !== 'status') return;
    const status = engine.status();
    process.send?.({
      id: message.id,
      ready: engine.isReady(),
      partitions: status.map((entry) => ({ ...entry, fingerprint: engine.fingerprint(entry.partition) })),
    });
  });
  process.once('SIGTERM', () => {
    logger.log('SIGTERM: draining');
    engine
      .stop()
      .then(() => Promise.all([admin.disconnect(), dataSource.destroy()]))
      .then(
        () => {
          logger.log('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error(`stop failed: ${String(error)}`);
          process.exit(1);
        },
      );
  });
  await engine.start();
  logger.log('started');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
