import { AccountEvent, accountsDomain, accountsFailingOnceOnDeposit, InMemoryEngineWorld, poll } from '@app/engine/testing';
import { DirectAnswer } from './direct-command';

const TEST_MS = 20_000;

const outcomeOf = (answer: DirectAnswer) => (answer.kind === 'outcome' ? answer.outcome : answer);

describe('PartitionEngine taking commands sent straight to it, on in-memory ports', () => {
  let world: InMemoryEngineWorld;

  beforeEach(() => {
    world = new InMemoryEngineWorld('accounts');
  });

  afterEach(() => world.stopAll());

  const outcomes = (partition: number) =>
    world
      .log(partition)
      .map(({ record }) => record)
      .filter((record) => record.type === 'outcome');

  it(
    'answers once the outcome is in the log, with no command offset, and answers a retry by the same commandId from memory',
    async () => {
      const account = world.aggregateOn(0, 'account');
      const owner = await world.serving(world.startEngine(accountsDomain(), { name: 'owner' }));

      const answer = await world.submit(owner, account, { type: 'deposit', amount: 5 }, { commandId: 'deposit-1' });
      // By the time the sender hears, the record is in the log.
      const logged = outcomes(0);
      expect(answer).toEqual({ kind: 'outcome', outcome: { ok: true, reply: { balance: 5, held: 0 } } });
      expect(logged).toEqual([expect.objectContaining({ commandId: 'deposit-1', aggregateId: account })]);
      expect(logged[0]).not.toHaveProperty('commandOffset');

      expect(await world.submit(owner, account, { type: 'deposit', amount: 5 }, { commandId: 'deposit-1' })).toEqual(answer);
      // The same command again through the commands topic: the first outcome, nothing applied twice.
      expect(await world.request(account, { type: 'deposit', amount: 5 }, { commandId: 'deposit-1' })).toEqual(outcomeOf(answer));
      expect(outcomes(0)).toHaveLength(1);
    },
    TEST_MS,
  );

  it(
    'sends the cross-partition part of a command sent straight to it through the outbox',
    async () => {
      const from = world.aggregateOn(0, 'from');
      const to = world.aggregateOn(1, 'to');
      const owner = await world.serving(world.startEngine(accountsDomain(), { name: 'owner' }));

      expect(outcomeOf(await world.submit(owner, from, { type: 'deposit', amount: 10 }))).toMatchObject({ ok: true });
      expect(outcomeOf(await world.submit(owner, from, { type: 'transfer', to, amount: 4 }))).toEqual({ ok: true, reply: { balance: 6, held: 0 } });
      const credits = () =>
        outcomes(1)
          .flatMap((record) => (record.type === 'outcome' ? (record.events as AccountEvent[]) : []))
          .filter((event) => event.type === 'credited');
      await poll('the credit on the other partition', () => (credits().length > 0 ? true : undefined), 5_000);
      expect(credits()).toEqual([expect.objectContaining({ amount: 4, from })]);
    },
    TEST_MS,
  );

  it(
    'answers resend for a partition it does not own, and invalid_payload for an envelope that is not one',
    async () => {
      const owner = await world.serving(world.startEngine(accountsDomain(), { name: 'owner' }));
      const account = world.aggregateOn(0, 'account');

      expect(await owner.engine.submit(7, { commandId: 'c', aggregateId: account, issuedAt: 1, command: {} })).toEqual({
        kind: 'resend',
        reason: expect.stringContaining('not owned here'),
      });
      const invalid = await owner.engine.submit(0, { commandId: '', aggregateId: account, issuedAt: 1, command: {} });
      expect(invalid).toEqual({
        kind: 'outcome',
        outcome: { ok: false, rejection: { code: 'invalid_payload', message: expect.stringContaining('commandId') } },
      });
      expect(outcomes(0)).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'answers resend when the batch holding the command fails, and applies it once when it is sent again',
    async () => {
      const domain = accountsFailingOnceOnDeposit(13);
      const account = world.aggregateOn(0, 'account');
      const owner = await world.serving(world.startEngine(domain, { name: 'owner' }));

      expect(await world.submit(owner, account, { type: 'deposit', amount: 13 }, { commandId: 'deposit-13' })).toEqual({
        kind: 'resend',
        reason: expect.any(String),
      });
      await world.serving(owner);
      expect(outcomeOf(await world.submit(owner, account, { type: 'deposit', amount: 13 }, { commandId: 'deposit-13' }))).toEqual({
        ok: true,
        reply: { balance: 13, held: 0 },
      });
      expect(outcomes(0).filter((record) => record.type === 'outcome' && record.commandId === 'deposit-13')).toHaveLength(1);
    },
    TEST_MS,
  );

  it(
    'answers busy past its inbox limit instead of queueing without bound, and every command it took is answered',
    async () => {
      const account = world.aggregateOn(0, 'account');
      const owner = await world.serving(world.startEngine(accountsDomain(), { name: 'owner', options: { maxBatchSize: 1 } }));

      const answers = await Promise.all(Array.from({ length: 20 }, () => world.submit(owner, account, { type: 'deposit', amount: 1 })));
      const busy = answers.filter((answer) => answer.kind === 'busy');
      const applied = answers.filter((answer) => answer.kind === 'outcome' && answer.outcome.ok);
      expect(busy.length).toBeGreaterThan(0);
      expect(busy.length + applied.length).toBe(20);
      expect(outcomes(0)).toHaveLength(applied.length);
    },
    TEST_MS,
  );

  it(
    'tells whoever waits to send again when the partition is released before their command was decided',
    async () => {
      const account = world.aggregateOn(0, 'account');
      const owner = await world.serving(world.startEngine(accountsDomain(), { name: 'owner', options: { maxBatchSize: 1 } }));

      const answers = Array.from({ length: 4 }, () => world.submit(owner, account, { type: 'deposit', amount: 1 }));
      await owner.engine.stop();
      const settled = await Promise.all(answers);
      const applied = settled.filter((answer) => answer.kind === 'outcome');
      expect(settled.every((answer) => answer.kind === 'outcome' || answer.kind === 'resend')).toBe(true);
      expect(settled.some((answer) => answer.kind === 'resend')).toBe(true);
      expect(outcomes(0)).toHaveLength(applied.length);
    },
    TEST_MS,
  );
});
