import { randomUUID } from 'node:crypto';
import { PartitionEngine } from '@app/engine';
import { KafkaCommandClient, KafkaEventStream } from '@app/kafka';
import { AccountsWorld } from '../support/accounts-fixture';
import { pollUntil } from '../support/poll';

describe('partition engine on real Kafka and PostgreSQL', () => {
  let world: AccountsWorld;
  let client: KafkaCommandClient;

  beforeEach(async () => {
    world = new AccountsWorld(2);
    await world.setUp();
    client = await world.client();
  });

  afterEach(() => world.tearDown());

  const send = (aggregateId: string, command: unknown, commandId: string = randomUUID()) =>
    client.send(world.commandsTopic, { commandId, aggregateId, issuedAt: Date.now(), command });

  /** Polls until the engine's memory of both partitions equals an independent fold of the log (hash and offset). */
  const memoryEqualsLog = (engine: PartitionEngine<unknown>) =>
    pollUntil('memory equal to the log', async () => {
      const folds = await Promise.all([0, 1].map((partition) => world.foldLog(partition)));
      const equal = folds.every((fold, partition) => {
        const fingerprint = engine.fingerprint(partition);
        return fingerprint?.hash === fold.hash() && fingerprint.lastOffset === fold.lastOffset;
      });
      return equal ? folds : undefined;
    });

  it('acknowledges commands only after commit, dedupes retries, and recovers the exact state', async () => {
    const first = world.startEngine({ checkpointEveryRecords: 5 });
    await first.start();
    await pollUntil('engine ready', () => (first.engine.isReady() ? true : undefined));

    expect(await send('alice', { type: 'deposit', amount: 100 }, 'dep-1')).toEqual({ ok: true, reply: { balance: 100, held: 0 } });
    expect(await send('alice', { type: 'deposit', amount: 100 }, 'dep-1')).toEqual({ ok: true, reply: { balance: 100, held: 0 } });
    expect(await send('alice', { type: 'withdraw', amount: 500 })).toMatchObject({ ok: false, rejection: { code: 'insufficient_funds' } });
    expect(await send('alice', { type: 'withdraw', amount: -1 })).toMatchObject({ ok: false, rejection: { code: 'invalid_payload' } });
    for (let index = 0; index < 10; index++) await send(`bob-${index}`, { type: 'deposit', amount: index + 1 });
    expect(await send('alice', { type: 'transfer', to: 'bob-3', amount: 40 }, 'tx-1')).toEqual({ ok: true, reply: { balance: 60, held: 0 } });

    const before = await pollUntil('the transfer credit folded in', async () => {
      const states = await Promise.all([0, 1].map((partition) => world.foldLog(partition)));
      const bob = states.map((state) => state.aggregateStates.get('bob-3') as { balance: number } | undefined).find(Boolean);
      return bob?.balance === 44 ? states : undefined;
    });
    await memoryEqualsLog(first.engine);

    await first.engine.stop();
    const second = world.startEngine();
    await second.start();
    await pollUntil('second engine ready', () => (second.engine.isReady() ? true : undefined));
    const after = await memoryEqualsLog(second.engine);
    expect(after.map((state) => state.hash())).toEqual(before.map((state) => state.hash()));
    for (const status of second.engine.status()) {
      // Recovered from the snapshot the first engine took on stop: everything up to the second engine's claim.
      const claims = (await world.readLog(status.partition)).filter(({ record }) => record.type === 'claim');
      expect(status.lastSnapshotOffset).toBe(claims[claims.length - 1].offset - 1);
    }
    expect(await send('alice', { type: 'deposit', amount: 100 }, 'dep-1')).toEqual({ ok: true, reply: { balance: 100, held: 0 } });
    // That retry moved no position in the log, yet it is settled: nothing is left behind on any partition.
    await pollUntil('no lag on any partition', () => (second.engine.status().every((status) => status.lag === 0) ? true : undefined));
  });

  it('replays a history longer than one fetch', async () => {
    const stream = new KafkaEventStream({
      kafka: world.kafka,
      admin: world.admin,
      eventsTopic: world.eventsTopic,
      readFetchBytes: 4_096,
    });
    const writer = await stream.openWriter(1);
    const written: string[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const events = Array.from({ length: 50 }, (_, index) => ({ key: 'k', value: `${batch}-${index}-${'x'.repeat(100)}` }));
      await writer.append(events);
      written.push(...events.map((event) => event.value));
    }
    await writer.close();
    const { end } = await stream.bounds(1);
    const read: string[] = [];
    await stream.read(1, 0, end, (records) => void read.push(...records.map((record) => record.value!.toString())));
    expect(read).toEqual(written);
  });

  it('runs timer commands through the same batch, dedupe and replay path', async () => {
    const first = world.startEngine({}, { holdSweepMs: 100 });
    await first.start();
    await pollUntil('engine ready', () => (first.engine.isReady() ? true : undefined));
    await send('dave', { type: 'deposit', amount: 50 });
    expect(await send('dave', { type: 'hold', holdId: 'h-1', amount: 30, ttlMs: 300 })).toEqual({ ok: true, reply: { balance: 50, held: 30 } });
    expect(await send('dave', { type: 'withdraw', amount: 40 })).toMatchObject({ ok: false, rejection: { code: 'insufficient_funds' } });

    // The owner's timer expires the hold: a command of its own, recorded in the log like any other.
    const expiry = await pollUntil('the hold expired by the timer', async () => {
      const records = (await Promise.all([0, 1].map((partition) => world.readLog(partition)))).flat();
      return records.find(({ record }) => record.type === 'outcome' && record.commandId.startsWith('expire:dave:h-1@'));
    });
    expect(expiry.record).toMatchObject({ aggregateId: 'dave', events: [{ type: 'holds-expired', holdIds: ['h-1'] }] });
    expect(await send('dave', { type: 'withdraw', amount: 40 })).toEqual({ ok: true, reply: { balance: 10, held: 0 } });

    await first.engine.stop();
    const second = world.startEngine({}, { holdSweepMs: 100 });
    await second.start();
    await pollUntil('second engine ready', () => (second.engine.isReady() ? true : undefined));
    for (const partition of [0, 1]) {
      const fold = await world.foldLog(partition);
      expect(second.engine.fingerprint(partition)).toEqual({ hash: fold.hash(), lastOffset: fold.lastOffset });
    }
  });
});
