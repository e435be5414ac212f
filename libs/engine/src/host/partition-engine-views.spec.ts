import { Account, AccountEvent, accountsDomain, accountsFailingOnceOnDeposit, InMemoryEngineWorld, poll } from '@app/engine/testing';
import { AggregateDomain } from '../domain/aggregate-domain';
import { DirectAnswer } from './direct-command';
import { ChangedView } from './partition-engine';

const TEST_MS = 20_000;

type Domain = AggregateDomain<Account, unknown, AccountEvent, unknown>;

/** The accounts domain with a view: what watchers of an account see is its balance. */
const viewed = (domain: Domain = accountsDomain() as Domain): Domain => ({ ...domain, view: (_id, account) => ({ balance: account.balance }) });

const outcomeOf = (answer: DirectAnswer) => (answer.kind === 'outcome' ? answer.outcome : answer);

describe('PartitionEngine telling a listener the views of each batch that counts, on in-memory ports', () => {
  let world: InMemoryEngineWorld;

  beforeEach(() => {
    world = new InMemoryEngineWorld('accounts');
  });

  afterEach(() => world.stopAll());

  /** An engine on the world with a views listener, serving every partition. */
  const serving = (domain: Domain, viewsChanged: (changes: ChangedView[]) => void) => world.serving(world.startEngine(domain, { name: 'owner', viewsChanged }));

  const published = (partition: number) => world.topics.records(world.changesTopic, partition).map(({ value }) => value.toString('utf8'));

  it(
    'hears each changed view once, as soon as the batch counts, in the very text the changes topic gets',
    async () => {
      const heard: ChangedView[] = [];
      const account = world.aggregateOn(0, 'account');
      const owner = await serving(viewed(), (changes) => heard.push(...changes));

      expect(outcomeOf(await world.submit(owner, account, { type: 'deposit', amount: 5 }))).toMatchObject({ ok: true });
      // Told before the sender heard its answer, not after the batch's sends.
      expect(heard).toEqual([{ aggregateId: account, value: JSON.stringify({ aggregateId: account, view: { balance: 5 } }) }]);

      // A refused command changes nothing: no view.
      expect(outcomeOf(await world.submit(owner, account, { type: 'withdraw', amount: 50 }))).toMatchObject({ ok: false });
      expect(await world.request(account, { type: 'deposit', amount: 2 })).toMatchObject({ ok: true });
      expect(heard.map(({ value }) => JSON.parse(value) as unknown)).toEqual([
        { aggregateId: account, view: { balance: 5 } },
        { aggregateId: account, view: { balance: 7 } },
      ]);
      await poll('both views on the changes topic', () => (published(0).length === 2 ? true : undefined), 5_000);
      expect(published(0)).toEqual(heard.map(({ value }) => value));
    },
    TEST_MS,
  );

  it(
    'hears nothing of a batch that did not count, and the view of the command once it is applied',
    async () => {
      const domain = viewed(accountsFailingOnceOnDeposit(13) as Domain);
      const heard: ChangedView[] = [];
      const account = world.aggregateOn(0, 'account');
      const owner = await serving(domain, (changes) => heard.push(...changes));

      expect(await world.submit(owner, account, { type: 'deposit', amount: 13 }, { commandId: 'deposit-13' })).toMatchObject({ kind: 'resend' });
      expect(heard).toEqual([]);
      await poll('serving again', () => (owner.engine.isReady() ? true : undefined), 5_000, 5);
      expect(outcomeOf(await world.submit(owner, account, { type: 'deposit', amount: 13 }, { commandId: 'deposit-13' }))).toMatchObject({ ok: true });
      expect(heard.map(({ value }) => JSON.parse(value) as unknown)).toEqual([{ aggregateId: account, view: { balance: 13 } }]);
    },
    TEST_MS,
  );

  it(
    'keeps serving when the listener throws: the batch counted already, so the sender still gets its outcome',
    async () => {
      const account = world.aggregateOn(1, 'account');
      const owner = await serving(viewed(), () => {
        throw new Error('listener bug');
      });

      expect(outcomeOf(await world.submit(owner, account, { type: 'deposit', amount: 3 }))).toEqual({ ok: true, reply: { balance: 3, held: 0 } });
      expect(outcomeOf(await world.submit(owner, account, { type: 'deposit', amount: 3 }))).toEqual({ ok: true, reply: { balance: 6, held: 0 } });
      expect(owner.engine.status().every(({ phase }) => phase === 'serving')).toBe(true);
      expect(owner.logs.filter((line) => line.includes('the views listener threw'))).toHaveLength(2);
      await poll('both views on the changes topic', () => (published(1).length === 2 ? true : undefined), 5_000);
    },
    TEST_MS,
  );
});
