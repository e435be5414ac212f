import { Account, AccountEvent, accountsDomain, InMemoryEngineWorld, poll } from '@app/engine/testing';
import { AggregateDomain } from '../domain/aggregate-domain';
import { DirectAnswer } from './direct-command';
import { ChangedView } from './partition-engine';

const TEST_MS = 20_000;

type Domain = AggregateDomain<Account, unknown, AccountEvent, unknown>;

const viewed: Domain = { ...(accountsDomain() as Domain), view: (_id, account) => ({ balance: account.balance }) };

const outcomeOf = (answer: DirectAnswer) => (answer.kind === 'outcome' ? answer.outcome : answer);

describe('PartitionEngine with publishChanges off, on in-memory ports', () => {
  let world: InMemoryEngineWorld;

  beforeEach(() => {
    world = new InMemoryEngineWorld('accounts');
  });

  afterEach(() => world.stopAll());

  /** An engine on the world serving every partition, with a views listener and the changes topic on or off. */
  const serving = (publishChanges: boolean, viewsChanged?: (changes: ChangedView[]) => void) =>
    world.serving(world.startEngine(viewed, { name: 'owner', options: { publishChanges }, viewsChanged }));

  const published = () =>
    Array.from({ length: world.partitions }, (_, partition) => world.topics.records(world.changesTopic, partition)).flatMap((records) =>
      records.map(({ value }) => value.toString('utf8')),
    );

  it(
    'writes nothing to the changes topic while the listener still hears every view',
    async () => {
      const heard: ChangedView[] = [];
      const owner = await serving(false, (changes) => heard.push(...changes));
      const first = world.aggregateOn(0, 'account');
      const second = world.aggregateOn(1, 'account');

      expect(outcomeOf(await world.submit(owner, first, { type: 'deposit', amount: 5 }))).toMatchObject({ ok: true });
      expect(outcomeOf(await world.submit(owner, second, { type: 'deposit', amount: 7 }))).toMatchObject({ ok: true });
      // Through the commands topic too: its replies are sent after the batch's other messages would have been.
      expect(await world.request(first, { type: 'deposit', amount: 2 })).toMatchObject({ ok: true });

      expect(heard.map(({ value }) => JSON.parse(value) as unknown)).toEqual([
        { aggregateId: first, view: { balance: 5 } },
        { aggregateId: second, view: { balance: 7 } },
        { aggregateId: first, view: { balance: 7 } },
      ]);
      expect(published()).toEqual([]);
      expect(owner.logs.filter((line) => line.includes('changes are not published'))).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'writes the views to the changes topic with the option on (the default), so the test above can fail',
    async () => {
      const owner = await serving(true);
      const account = world.aggregateOn(0, 'account');

      expect(outcomeOf(await world.submit(owner, account, { type: 'deposit', amount: 5 }))).toMatchObject({ ok: true });
      await poll('the view on the changes topic', () => (published().length === 1 ? true : undefined), 5_000);
      expect(published()).toEqual([JSON.stringify({ aggregateId: account, view: { balance: 5 } })]);
    },
    TEST_MS,
  );
});
