import { Outcome } from '@app/engine';
import { partitionOfKey } from '../partition-of-key';
import { QueueFullError } from './coalescing-queue';
import { answerFor, FakeKafka } from './fake-kafka.testing';
import { ClientOverloadedError, KafkaCommandClient, ReplyTimeoutError } from './kafka-command-client';

const REPLIES = 'gateway.replies';
const COMMANDS = 'inventory.commands';

describe('KafkaCommandClient', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  async function started(options: { maxInFlight?: number; maxQueued?: number } = {}) {
    const fake = new FakeKafka();
    const client = new KafkaCommandClient({ kafka: fake.kafka, admin: fake.admin, replyTopic: REPLIES, replyPartition: 0, ...options });
    await client.start();
    let offset = 0;
    const reply = (commandId: string, outcome: Outcome) => fake.consumer.deliver(offset++, { commandId, outcome });
    return { fake, client, reply };
  }
  const envelope = (commandId: string, aggregateId = 'alice') => ({ commandId, aggregateId, issuedAt: 0, command: { type: 'get' } });
  /** Lets every pending callback and unhandled-rejection report run. */
  const settled = () => new Promise((resolve) => setTimeout(resolve, 10));
  /** A produce that waits until the test opens it. */
  function gatedProduce(fake: FakeKafka, result: () => Promise<void> = async () => undefined) {
    const gates: (() => void)[] = [];
    fake.sendBatch = async () => {
      await new Promise<void>((open) => gates.push(open));
      await result();
    };
    return { open: () => gates.splice(0).forEach((open) => open()), pending: () => gates.length };
  }

  it('given a reply on its partition, when a command is sent, then it resolves with that outcome', async () => {
    const { fake, client, reply } = await started();
    const sending = client.send(COMMANDS, envelope('c-1'), 1_000);
    await settled();
    await reply('c-1', { ok: true, reply: { gold: 5 } });
    await expect(sending).resolves.toEqual({ ok: true, reply: { gold: 5 } });
    expect(JSON.parse(String(fake.producers[0].batches[0].topicMessages![0].messages[0].value))).toMatchObject({
      commandId: 'c-1',
      replyTo: { topic: REPLIES, partition: 0 },
    });
    expect(client.commandsInFlight).toBe(0);
  });

  it('given a produce slower than the timeout, when the timeout passes, then send rejects with ReplyTimeoutError and no rejection goes unhandled', async () => {
    const { fake, client } = await started();
    const produce = gatedProduce(fake);
    const sending = client.send(COMMANDS, envelope('slow-1'), 20);
    const caught = sending.catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 60));
    produce.open();
    expect(await caught).toBeInstanceOf(ReplyTimeoutError);
    await settled();
    expect(unhandled).toEqual([]);
  });

  it('given a produce that fails after the timeout, when it fails, then the caller heard the timeout and no rejection goes unhandled', async () => {
    const { fake, client } = await started();
    const produce = gatedProduce(fake, async () => {
      throw new Error('broker gone');
    });
    await expect(client.send(COMMANDS, envelope('slow-2'), 20)).rejects.toBeInstanceOf(ReplyTimeoutError);
    produce.open();
    await settled();
    expect(unhandled).toEqual([]);
    expect(client.commandsInFlight).toBe(0);
  });

  it('given a command still queued behind a slow produce, when its deadline passes, then it is withdrawn and never produced', async () => {
    const { fake, client } = await started();
    const produce = gatedProduce(fake);
    const first = client.send(COMMANDS, envelope('first'), 1_000).catch((error: unknown) => error);
    await settled();
    await expect(client.send(COMMANDS, envelope('queued'), 20)).rejects.toBeInstanceOf(ReplyTimeoutError);
    produce.open();
    await settled();
    const produced = fake.producers.flatMap((producer) => producer.batches.flatMap((batch) => batch.topicMessages!.flatMap((topic) => topic.messages)));
    expect(produced.map((message) => JSON.parse(String(message.value)).commandId)).toEqual(['first']);
    await fake.consumer.deliver(0, { commandId: 'first', outcome: { ok: true, reply: {} } });
    expect(await first).toEqual({ ok: true, reply: {} });
  });

  it('given maxInFlight commands awaiting their outcome, when one more is sent, then it is refused at once, and accepted again once one is answered', async () => {
    const { client, reply } = await started({ maxInFlight: 2 });
    const waiting = [client.send(COMMANDS, envelope('a'), 1_000), client.send(COMMANDS, envelope('b'), 1_000)];
    await expect(client.send(COMMANDS, envelope('c'), 1_000)).rejects.toBeInstanceOf(ClientOverloadedError);
    await settled();
    await reply('a', { ok: true, reply: 1 });
    await waiting[0];
    const again = client.send(COMMANDS, envelope('c'), 1_000);
    await settled();
    await reply('b', { ok: true, reply: 2 });
    await reply('c', { ok: true, reply: 3 });
    expect(await Promise.all([waiting[1], again])).toEqual([
      { ok: true, reply: 2 },
      { ok: true, reply: 3 },
    ]);
  });

  it('given maxQueued commands waiting to be produced, when one more is dispatched, then it is refused at once', async () => {
    const { fake, client } = await started({ maxQueued: 1 });
    const produce = gatedProduce(fake);
    const inFlight = client.dispatch(COMMANDS, envelope('in-flight'));
    await settled();
    const queued = client.dispatch(COMMANDS, envelope('queued'));
    await expect(client.dispatch(COMMANDS, envelope('refused'))).rejects.toBeInstanceOf(QueueFullError);
    produce.open();
    await inFlight;
    await settled();
    produce.open();
    await queued;
  });

  it('given a produce that failed, when the next command is sent, then a new producer sends it and the failed one is closed', async () => {
    const { fake, client } = await started();
    fake.sendBatch = async () => {
      throw new Error('out of order sequence');
    };
    await expect(client.dispatch(COMMANDS, envelope('lost'))).rejects.toThrow('out of order sequence');
    fake.sendBatch = async () => undefined;
    await client.dispatch(COMMANDS, envelope('again'));
    expect(fake.producers).toHaveLength(2);
    expect(fake.producers[0].disconnected).toBe(true);
    expect(fake.producers[1].batches).toHaveLength(1);
  });

  it('given a send whose answer leaves out a partition (kafkajs#1303), then the commands bound there reject and the others are sent', async () => {
    const { fake, client, reply } = await started();
    const lostPartition = partitionOfKey('alice', fake.partitions);
    const kept = ['bob', 'carol', 'dave', 'erin'].find((aggregateId) => partitionOfKey(aggregateId, fake.partitions) !== lostPartition)!;
    // As kafkajs answers when the partition's leader moved to a broker that had already answered for the others.
    fake.sendBatch = async (batch) => answerFor(batch).filter(({ partition }) => partition !== lostPartition);
    const unwritten = `without writing to ${COMMANDS}[${lostPartition}]`;
    await expect(client.dispatch(COMMANDS, envelope('lost-1'))).rejects.toThrow(unwritten);
    await expect(client.send(COMMANDS, envelope('lost-2'), 1_000)).rejects.toThrow(unwritten);
    await client.dispatch(COMMANDS, envelope('kept-1', kept));
    const sending = client.send(COMMANDS, envelope('kept-2', kept), 1_000);
    await settled();
    await reply('kept-2', { ok: true, reply: {} });
    await expect(sending).resolves.toEqual({ ok: true, reply: {} });
    const produced = fake.producers[0].batches.flatMap((batch) => batch.topicMessages!.flatMap((topic) => topic.messages));
    expect(produced.map(({ key, partition }) => [key, partition])).toEqual([
      ['alice', lostPartition],
      ['alice', lostPartition],
      [kept, partitionOfKey(kept, fake.partitions)],
      [kept, partitionOfKey(kept, fake.partitions)],
    ]);
    expect({ metadataRequests: fake.metadataRequests, inFlight: client.commandsInFlight }).toEqual({ metadataRequests: [COMMANDS], inFlight: 0 });
  });

  it('given the reply reader crashed, when a reply comes after, then a new reader in a fresh group hands it over from where the old one was', async () => {
    const { fake, client } = await started();
    const first = client.send(COMMANDS, envelope('before'), 5_000);
    await settled();
    await fake.consumer.deliver(0, { commandId: 'before', outcome: { ok: true, reply: 'b' } });
    await first;
    const crashed = fake.consumer;
    crashed.crash(new Error('connection refused'));
    const after = client.send(COMMANDS, envelope('after'), 5_000);
    while (fake.consumer === crashed) await settled();
    await settled();
    expect(fake.consumer.seeks).toEqual([{ topic: REPLIES, partition: 0, offset: '1' }]);
    expect(fake.consumer.config.groupId).toBe(`${crashed.config.groupId}.1`);
    await fake.consumer.deliver(1, { commandId: 'after', outcome: { ok: true, reply: 'a' } });
    expect(await after).toEqual({ ok: true, reply: 'a' });
  });
});
