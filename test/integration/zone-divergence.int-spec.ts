import { LogRecord, PartitionStatus } from '@app/engine';
import { eventsTopicOf, KafkaEventStream, partitionOfKey } from '@app/kafka';
import { migrate } from '@app/postgres';
import { ZoneEvent } from '@app/zone';
import { AppProcess } from '../support/app-process';
import { startHosting } from '../support/hosting-process';
import { pollUntil } from '../support/poll';
import { provisionedTopics } from '../support/provisioned-topics';
import { randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';
import { testKafka } from '../support/test-kafka';

const PARTITIONS = 2;

/** A zone log whose tick hash re-simulation cannot reproduce: the partition stops loudly instead of serving. */
describe('zone: a log that does not re-simulate to its hashes', () => {
  let topics: Awaited<ReturnType<typeof provisionedTopics>>;
  let zone: (AppProcess & { port: number }) | undefined;

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    topics = await provisionedTopics(PARTITIONS);
  });

  afterAll(async () => {
    zone?.kill();
    await zone?.exited;
    await topics?.remove();
  });

  it('puts the partition in phase diverged, with an error log and a metric, and serves the other partitions', async () => {
    const partition = partitionOfKey('meadow', PARTITIONS);
    const kafka = testKafka(`forger-${randomSuffix()}`);
    const admin = kafka.admin();
    await admin.connect();
    const writer = await new KafkaEventStream({ kafka, admin, eventsTopic: eventsTopicOf(topics.prefix, 'zone') }).openWriter(partition);
    try {
      const claim = await writer.append([{ key: '', value: JSON.stringify({ type: 'claim', owner: 'forger' } satisfies LogRecord) }]);
      const outcome = (commandId: string, events: ZoneEvent[]): { key: string; value: string } => ({
        key: 'meadow',
        value: JSON.stringify({ type: 'outcome', claim, commandId, aggregateId: 'meadow', events, outcome: { ok: true, reply: null } } satisfies LogRecord),
      });
      await writer.append([
        outcome('join-1', [{ type: 'player-joined', playerId: 'p_forged' }]),
        outcome('tick:meadow:1', [{ type: 'ticked', tick: 1, hash: '0123456789abcdef' }]),
      ]);
    } finally {
      await writer.close();
      await admin.disconnect();
    }

    zone = await startHosting('zone', topics.prefix, 'live');
    const url = `http://127.0.0.1:${zone.port}`;
    const phases = await pollUntil('the engine to settle', async () => {
      const { partitions } = (await (await fetch(`${url}/engine/status`)).json()) as { partitions: PartitionStatus[] };
      const settled = partitions.length === PARTITIONS && partitions.every((entry) => entry.phase === 'serving' || entry.phase === 'diverged');
      return settled ? partitions.map(({ partition: number, phase, error }) => ({ partition: number, phase, error })) : undefined;
    });
    expect(phases).toEqual(
      expect.arrayContaining([
        { partition, phase: 'diverged', error: expect.stringContaining('re-simulation gives') },
        { partition: 1 - partition, phase: 'serving', error: undefined },
      ]),
    );
    expect(zone.output).toMatch(/DIVERGED, not serving this partition: zone meadow at tick 1/);
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^engine_partitions\{phase="diverged",service="zone"\} 1$/m);
    expect((await fetch(`${url}/health/ready`)).status).toBe(503);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
  });
});
