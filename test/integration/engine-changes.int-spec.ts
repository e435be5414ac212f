import { randomUUID } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { Account } from '@app/engine/testing';
import { KafkaCommandClient } from '@app/kafka';
import { AccountsWorld } from '../support/accounts-fixture';
import { pollUntil } from '../support/poll';
import { randomName } from '../support/random-names';

interface Change {
  aggregateId: string;
  view: { balance: number };
}

/** A domain with a `view` has every aggregate a batch changed published to `<service>.changes`, once the batch counts. */
describe('engine change feed on real Kafka', () => {
  let world: AccountsWorld;
  let client: KafkaCommandClient;
  const changes: Change[] = [];

  beforeEach(async () => {
    world = new AccountsWorld(2);
    await world.setUp();
    client = await world.client();
    changes.length = 0;
    const groupId = randomName('changes-reader');
    const consumer = world.kafka.consumer({ groupId, maxWaitTimeInMs: 50 });
    await consumer.connect();
    await consumer.subscribe({ topic: world.changesTopic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void changes.push(JSON.parse(message.value!.toString()) as Change) });
    world.onTearDown(async () => {
      await consumer.disconnect();
      await world.admin.deleteGroups([groupId]);
    });
  });

  afterEach(() => world.tearDown());

  const send = (aggregateId: string, command: unknown) =>
    client.send(world.commandsTopic, { commandId: randomUUID(), aggregateId, issuedAt: Date.now(), command });

  it('publishes the view of each changed aggregate, on both sides of a transfer, and nothing for a rejection', async () => {
    const handle = world.startEngine({}, {}, 'changes', { view: (accountId: string, account: Account) => ({ balance: account.balance, accountId }) });
    await handle.start();
    await pollUntil('engine ready', () => (handle.engine.isReady() ? true : undefined));

    expect(await send('alice', { type: 'deposit', amount: 50 })).toMatchObject({ ok: true });
    expect(await send('alice', { type: 'withdraw', amount: 500 })).toMatchObject({ ok: false });
    expect(await send('alice', { type: 'transfer', to: 'bob', amount: 20 })).toMatchObject({ ok: true });
    // Per aggregate in order (one partition each); across aggregates, as the reader fetches them.
    const balances = (aggregateId: string) => changes.filter((change) => change.aggregateId === aggregateId).map(({ view }) => view.balance);
    await pollUntil('both sides published', () => (balances('alice').length >= 2 && balances('bob').length >= 1 ? true : undefined));
    expect({ alice: balances('alice'), bob: balances('bob'), total: changes.length }).toEqual({ alice: [50, 30], bob: [20], total: 3 });
    expect(changes[0].view).toEqual({ balance: 50, accountId: 'alice' });
  });

  it('publishes nothing for a domain without a view', async () => {
    const handle = world.startEngine({}, {}, 'no-view');
    await handle.start();
    await pollUntil('engine ready', () => (handle.engine.isReady() ? true : undefined));
    expect(await send('carol', { type: 'deposit', amount: 5 })).toMatchObject({ ok: true });
    // A marker written after the deposit by hand: once the reader has it, it would have had a change published before it.
    const producer = world.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: world.changesTopic, messages: [{ key: 'carol', value: JSON.stringify({ aggregateId: 'marker', view: { balance: 0 } }) }] });
    await producer.disconnect();
    await pollUntil('the marker read', () => (changes.some((change) => change.aggregateId === 'marker') ? true : undefined));
    expect(changes.map((change) => change.aggregateId)).toEqual(['marker']);
  });
});
