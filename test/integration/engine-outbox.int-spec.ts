import { randomUUID } from 'node:crypto';
import { Message, Partitioners } from 'kafkajs';
import { Account, accountsDomain } from '@app/engine/testing';
import { CommandEnvelope, decideBatch, LogRecord, PartitionEngine, PartitionPhase, PartitionState, RECORD_VERSION, SideMessage } from '@app/engine';
import { KafkaCommandClient, KafkaEventStream, partitionOfKey } from '@app/kafka';
import { AccountsWorld } from '../support/accounts-fixture';
import { GatedEventStream } from '../support/gated-event-stream';
import { pollUntil } from '../support/poll';

const PARTITIONS = [0, 1];
const [P, Q] = PARTITIONS;
const ISSUED_AT = 1_700_000_000_000;

/** The partition a key lands in on a 2-partition topic, as the client's producer puts it. */
const partitionOf = (key: string): number => partitionOfKey(key, PARTITIONS.length);

/** An account id whose commands land on `partition`. */
function accountOn(partition: number, tag: string): string {
  for (let index = 0; ; index++) if (partitionOf(`${tag}-${index}`) === partition) return `${tag}-${index}`;
}

describe('partition engine outboxes on real Kafka and PostgreSQL', () => {
  let world: AccountsWorld;
  let client: KafkaCommandClient;
  /** Run before the world's own clean-up, newest first. */
  let cleanups: (() => Promise<unknown>)[];

  beforeEach(async () => {
    cleanups = [];
    world = new AccountsWorld(PARTITIONS.length);
    await world.setUp();
    client = await world.client();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await world.tearDown();
  });

  const send = (aggregateId: string, command: unknown) =>
    client.send(world.commandsTopic, { commandId: randomUUID(), aggregateId, issuedAt: Date.now(), command });

  /** Writes records with a plain idempotent producer of its own, to `partition` or wherever their keys go. */
  async function produce(topic: string, messages: Message[], partition?: number) {
    const producer = world.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      return await producer.send({ topic, acks: -1, messages: messages.map((message) => ({ ...message, partition })) });
    } finally {
      await producer.disconnect();
    }
  }

  /** An engine whose events stream (appends and sends) goes through a gate the test controls. */
  function gatedEngine() {
    let gate!: GatedEventStream;
    const handle = world.startEngine({}, {}, 'gated', { wrapStream: (stream) => (gate = new GatedEventStream(stream)) });
    // A send still held would keep the engine from stopping; this runs before the world stops its engines.
    cleanups.push(async () => {
      gate.hold = undefined;
      gate.failAll();
    });
    return { ...handle, gate };
  }

  async function started(handle: ReturnType<AccountsWorld['startEngine']>) {
    await handle.start();
    await pollUntil('engine serving every partition', () =>
      handle.engine.isReady() && handle.engine.status().length === PARTITIONS.length ? true : undefined,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${handle.logs.join('\n')}`);
    });
    return handle.engine;
  }

  const balanceOf = (state: PartitionState<unknown>, account: string) => (state.aggregateStates.get(account) as Account | undefined)?.balance;

  const balanceReaches = (partition: number, account: string, balance: number) =>
    pollUntil(`${account} at ${balance}`, async () => (balanceOf(await world.foldLog(partition), account) === balance ? true : undefined), 20_000, 250);

  /** Polls until the engine's memory of every partition equals an independent fold of the log (hash and offset). */
  const memoryEqualsLog = (engine: PartitionEngine<unknown>, dedupeCapacity?: number) =>
    pollUntil('memory equal to the log', async () => {
      const folds = await Promise.all(PARTITIONS.map((partition) => world.foldLog(partition, dedupeCapacity)));
      const equal = folds.every((fold, partition) => {
        const fingerprint = engine.fingerprint(partition);
        return fingerprint?.hash === fold.hash() && fingerprint.lastOffset === fold.lastOffset;
      });
      return equal ? folds : undefined;
    });

  const outcomes = async (partition: number) =>
    (await world.readLog(partition)).flatMap(({ offset, record }) => (record.type === 'outcome' ? [{ offset, record }] : []));

  /** A command as a plain producer sends it: no reply address, so its batch sends nothing of its own. */
  const envelope = (aggregateId: string, commandId: string, command: unknown): Message => ({
    key: aggregateId,
    value: JSON.stringify({ commandId, aggregateId, issuedAt: ISSUED_AT, command } satisfies CommandEnvelope),
  });

  const decided = (partition: number, commandId: string) =>
    pollUntil(
      `${commandId} decided on partition ${partition}`,
      async () => (await outcomes(partition)).find(({ record }) => record.commandId === commandId)?.offset,
    );

  /** Every envelope on one commands partition, whoever sent it. */
  async function commandsOn(partition: number): Promise<CommandEnvelope[]> {
    const stream = new KafkaEventStream({ kafka: world.kafka, admin: world.admin, eventsTopic: world.commandsTopic });
    const envelopes: CommandEnvelope[] = [];
    const { end } = await stream.bounds(partition);
    await stream.read(partition, 0, end, (records) => void envelopes.push(...records.map(({ value }) => JSON.parse(value!.toString()) as CommandEnvelope)));
    return envelopes;
  }

  it('repairs a crash between appending a transfer and sending its credit, exactly once', async () => {
    const [a, b, c] = [accountOn(P, 'a'), accountOn(Q, 'b'), accountOn(Q, 'c')];
    // What an owner that died right after its append left behind: its claim, a deposit, and a transfer whose credit never went out.
    const domain = accountsDomain();
    const crashed = new PartitionState<Account>(domain, 10_000);
    const claim: LogRecord = { type: 'claim', owner: 'crashed' };
    crashed.apply(claim, 0);
    const { records } = decideBatch(domain, crashed, [
      { commandId: 'dep-a', aggregateId: a, issuedAt: ISSUED_AT, command: { type: 'deposit', amount: 100 } },
      { commandId: 'tx-1', aggregateId: a, issuedAt: ISSUED_AT, command: { type: 'transfer', to: b, amount: 30 } },
    ]);
    const credit = { commandId: 'tx-1:credit', aggregateId: b, issuedAt: ISSUED_AT, command: { type: 'credit', from: a, transferId: 'tx-1', amount: 30 } };
    expect(records.map(({ record }) => record)).toEqual([
      expect.objectContaining({ type: 'outcome', claim: 0, commandId: 'dep-a' }),
      expect.objectContaining({ type: 'outcome', claim: 0, commandId: 'tx-1', outbox: [credit] }),
    ]);
    const written = [{ key: '', record: claim }, ...records].map(({ key, record }) => ({ key, value: JSON.stringify(record) }));
    expect((await produce(world.eventsTopic, written, P))[0].baseOffset).toBe('0');
    const transferOffset = 2;

    const first = await started(world.startEngine({}, {}, 'first'));
    await balanceReaches(Q, b, 30);
    // The new owner logs, lazily, that the outbox went out.
    await pollUntil('outbox-sent on the sender partition', async () =>
      (await world.readLog(P)).some(({ record }) => record.type === 'outbox-sent' && record.through >= transferOffset) ? true : undefined,
    );
    const credits = async () => (await outcomes(Q)).filter(({ record }) => record.commandId === credit.commandId);
    const sentCredits = async () => (await commandsOn(Q)).filter(({ commandId }) => commandId === credit.commandId);
    expect((await credits()).map(({ record }) => record.origin)).toEqual([{ source: `${world.eventsTopic}#${P}`, offset: transferOffset, index: 0 }]);
    expect(await sentCredits()).toHaveLength(1);
    const folds = await memoryEqualsLog(first);
    expect(balanceOf(folds[P], a)).toBe(70);

    await first.stop();
    const second = await started(world.startEngine({}, {}, 'second'));
    // Anything the second owner sent at recovery sits before this on the commands partition of b: the reply is a barrier.
    expect(await send(c, { type: 'deposit', amount: 1 })).toEqual({ ok: true, reply: { balance: 1, held: 0 } });
    expect(await sentCredits()).toHaveLength(1);
    expect(await credits()).toHaveLength(1);
    const after = await memoryEqualsLog(second);
    expect([balanceOf(after[P], a), balanceOf(after[Q], b)]).toEqual([70, 30]);
  });

  it('drops a late repeat of an outbox command by its origin, after its commandId left the dedupe window', async () => {
    const b = accountOn(Q, 'late');
    const source = 'some.events#0';
    const credit = (commandId: string, offset: number, amount: number): Message => ({
      key: b,
      value: JSON.stringify({
        commandId,
        aggregateId: b,
        issuedAt: ISSUED_AT,
        origin: { source, offset, index: 0 },
        command: { type: 'credit', from: 'someone', transferId: commandId, amount },
      } satisfies CommandEnvelope),
    });
    const applied = async () =>
      (await outcomes(Q)).flatMap(({ record }) => (record.origin?.source === source ? [[record.commandId, record.origin.offset]] : []));
    const engine = await started(world.startEngine({ dedupeCapacity: 3 }));

    await produce(world.commandsTopic, [credit('credit-5', 5, 7)]);
    await balanceReaches(Q, b, 7);
    for (let index = 0; index < 4; index++) expect(await send(b, { type: 'deposit', amount: 1 })).toMatchObject({ ok: true });
    // Only the origin can stop a repeat now: the dedupe window no longer knows the credit.
    expect((await world.foldLog(Q, 3)).dedupe.outcomeOf('credit-5')).toBeUndefined();

    await produce(world.commandsTopic, [credit('credit-5', 5, 7), credit('credit-4', 4, 7)]);
    // Commands on one partition are decided in order: this reply comes after both were dealt with.
    expect(await send(b, { type: 'deposit', amount: 100 })).toEqual({ ok: true, reply: { balance: 111, held: 0 } });
    expect(await applied()).toEqual([['credit-5', 5]]);
    const folds = await memoryEqualsLog(engine, 3);
    expect(balanceOf(folds[Q], b)).toBe(111);

    await produce(world.commandsTopic, [credit('credit-6', 6, 9)]);
    await balanceReaches(Q, b, 120);
    expect(await applied()).toEqual([
      ['credit-5', 5],
      ['credit-6', 6],
    ]);
    await memoryEqualsLog(engine, 3);
  });

  it('a send still in flight is never marked sent, and a failed send is repaired by recovery exactly once', async () => {
    const [a, b] = [accountOn(P, 'held-a'), accountOn(Q, 'held-b')];
    const handle = gatedEngine();
    const { gate } = handle;
    const phaseOf = (partition: number) => handle.engine.status().find((status) => status.partition === partition)?.phase;
    // What P's runner was doing each time it asked for a writer: recovering, at its start and after the failed send.
    const phasesAtOpen: (PartitionPhase | undefined)[] = [];
    gate.onOpen = (partition) => {
      if (partition === P) phasesAtOpen.push(phaseOf(P));
    };
    const engine = await started(handle);
    expect(await send(a, { type: 'deposit', amount: 100 })).toEqual({ ok: true, reply: { balance: 100, held: 0 } });

    const isCredit = ({ value }: SideMessage) => (JSON.parse(value) as CommandEnvelope).commandId === 'tx:credit';
    gate.hold = (partition, messages) => partition === P && messages.some(isCredit);
    // Without a reply address the transfer's send carries its credit alone.
    await produce(world.commandsTopic, [envelope(a, 'tx', { type: 'transfer', to: b, amount: 30 })]);
    const held = await pollUntil('the credit send held', () => gate.held[0]);
    const transferOffset = await decided(P, 'tx');
    const source = `${world.eventsTopic}#${P}`;
    expect(held.messages.map(({ value }) => JSON.parse(value) as unknown)).toEqual([
      {
        commandId: 'tx:credit',
        aggregateId: b,
        issuedAt: ISSUED_AT,
        command: { type: 'credit', from: a, transferId: 'tx', amount: 30 },
        origin: { source, offset: transferOffset, index: 0 },
      },
    ]);

    // Two more batches on P while the credit is held, one after the other, neither with anything to send: were the
    // first counted as sent at once, sentThrough would pass the transfer and the second would log an outbox-sent covering it.
    for (const commandId of ['after-1', 'after-2']) {
      await produce(world.commandsTopic, [envelope(a, commandId, { type: 'deposit', amount: 1 })]);
      expect(await decided(P, commandId)).toBeGreaterThan(transferOffset);
    }
    const coversTransfer = ({ record }: { record: LogRecord }) => record.type === 'outbox-sent' && record.through >= transferOffset;
    expect((await world.readLog(P)).filter(coversTransfer)).toEqual([]);
    expect(phaseOf(P)).toBe('serving');
    expect(gate.held).toHaveLength(1);
    const creditsSent = async () => (await commandsOn(Q)).filter(({ commandId }) => commandId === 'tx:credit');
    expect(await creditsSent()).toEqual([]);
    const claims = async () => (await world.readLog(P)).filter(({ record }) => record.type === 'claim').map(({ offset }) => offset);
    const [firstClaim] = await claims();
    expect(await claims()).toEqual([firstClaim]);

    // The send fails: P recovers (a new claim), finds the transfer's credit unsent in its log and sends it again.
    gate.hold = undefined;
    held.fail(new Error('credit send cut off'));
    await balanceReaches(Q, b, 30);
    await pollUntil('P serving again', () => (phasesAtOpen.length === 2 && phaseOf(P) === 'serving' ? true : undefined));
    expect(phasesAtOpen).toEqual(['recovering', 'recovering']);
    expect(handle.logs.filter((line) => line.includes('credit send cut off'))).toHaveLength(1);
    const [, secondClaim, ...more] = await claims();
    expect(secondClaim).toBeGreaterThan(transferOffset);
    expect(more).toEqual([]);
    // Serving again, the new owner logs (lazily) that the outbox went out.
    const covering = await pollUntil('outbox-sent covering the transfer', async () => {
      const found = (await world.readLog(P)).filter(coversTransfer);
      return found.length > 0 ? found : undefined;
    });
    expect(covering.map(({ record }) => record)).toEqual([{ v: RECORD_VERSION, type: 'outbox-sent', claim: secondClaim, through: secondClaim }]);

    const credits = (await outcomes(Q)).filter(({ record }) => record.commandId === 'tx:credit');
    expect(credits.map(({ record }) => record.origin)).toEqual([{ source, offset: transferOffset, index: 0 }]);
    expect(await creditsSent()).toHaveLength(1);
    const folds = await memoryEqualsLog(engine);
    expect([balanceOf(folds[P], a), balanceOf(folds[Q], b)]).toEqual([72, 30]);
  });
});
