import { Account, accountsDomain } from '@app/accounts';
import { decideBatch, INVALID_PAYLOAD } from './decide-batch';
import { PartitionState } from './partition-state';
import { CommandEnvelope } from './records';

const domain = accountsDomain();
const replyTo = { topic: 't1-accounts.replies', partition: 3 };

const envelope = (commandId: string, aggregateId: string, command: unknown, extra: Partial<CommandEnvelope> = {}): CommandEnvelope => ({
  commandId,
  aggregateId,
  issuedAt: 1000,
  command,
  ...extra,
});
const deposit = (commandId: string, aggregateId: string, amount: number, extra: Partial<CommandEnvelope> = {}) =>
  envelope(commandId, aggregateId, { type: 'deposit', amount }, extra);
const withdraw = (commandId: string, aggregateId: string, amount: number, extra: Partial<CommandEnvelope> = {}) =>
  envelope(commandId, aggregateId, { type: 'withdraw', amount }, extra);

describe('decideBatch', () => {
  let state: PartitionState<Account>;
  beforeEach(() => {
    state = new PartitionState(domain, 100);
  });

  it('records each outcome with its events, keyed by aggregate, and folds it into state', () => {
    const writes = decideBatch(domain, state, [deposit('c1', 'alice', 10), withdraw('c2', 'bob', 1)]);
    expect(writes.records).toEqual([
      {
        key: 'alice',
        record: {
          type: 'outcome',
          commandId: 'c1',
          aggregateId: 'alice',
          events: [{ type: 'deposited', amount: 10 }],
          outcome: { ok: true, reply: { balance: 10, held: 0 } },
        },
      },
      {
        key: 'bob',
        record: {
          type: 'outcome',
          commandId: 'c2',
          aggregateId: 'bob',
          events: [],
          outcome: { ok: false, rejection: { code: 'insufficient_funds', message: 'available 0' } },
        },
      },
    ]);
    expect(state.aggregate('alice')).toEqual({ balance: 10, holds: {} });
    expect(state.aggregateView.has('bob')).toBe(false);
    expect(state.dedupe.entries().map(([id]) => id)).toEqual(['c1', 'c2']);
  });

  it('lets later commands of a batch see the effects of earlier ones', () => {
    const writes = decideBatch(domain, state, [deposit('c1', 'alice', 10), withdraw('c2', 'alice', 10), withdraw('c3', 'alice', 1)]);
    expect(writes.records.map(({ record }) => record.type === 'outcome' && record.outcome.ok)).toEqual([true, true, false]);
    expect(state.aggregate('alice').balance).toBe(0);
  });

  it('passes the envelope id and time to decide', () => {
    decideBatch(domain, state, [deposit('c1', 'alice', 10), envelope('c2', 'alice', { type: 'hold', holdId: 'h', amount: 3, ttlMs: 50 }, { issuedAt: 7000 })]);
    expect(state.aggregate('alice').holds).toEqual({ h: { amount: 3, expiresAt: 7050 } });
  });

  describe('a duplicate commandId', () => {
    it('within a batch gets the first outcome, writes no record and changes nothing', () => {
      const writes = decideBatch(domain, state, [
        deposit('c1', 'alice', 10, { replyTo }),
        deposit('c1', 'alice', 10, { replyTo }),
        deposit('c1', 'alice', 99, { replyTo }),
      ]);
      expect(writes.records).toHaveLength(1);
      expect(writes.replies.map((reply) => reply.outcome)).toEqual([
        { ok: true, reply: { balance: 10, held: 0 } },
        { ok: true, reply: { balance: 10, held: 0 } },
        { ok: true, reply: { balance: 10, held: 0 } },
      ]);
      expect(state.aggregate('alice').balance).toBe(10);
      expect(state.dedupe.size).toBe(1);
    });

    it('in a later batch gets the first outcome, writes no record and changes nothing', () => {
      decideBatch(domain, state, [deposit('c1', 'alice', 10), withdraw('c2', 'alice', 50)]);
      const before = { hash: state.hash(), image: state.image() };

      const writes = decideBatch(domain, state, [withdraw('c2', 'alice', 5, { replyTo }), deposit('c1', 'alice', 10, { replyTo })]);

      expect(writes).toEqual({
        records: [],
        replies: [
          { to: replyTo, commandId: 'c2', outcome: { ok: false, rejection: { code: 'insufficient_funds', message: 'available 10' } } },
          { to: replyTo, commandId: 'c1', outcome: { ok: true, reply: { balance: 10, held: 0 } } },
        ],
        outbox: [],
      });
      expect(state.hash()).toBe(before.hash);
      expect(state.image()).toEqual(before.image);
    });

    it('does not send a transfer credit again', () => {
      const transfer = envelope('t1', 'alice', { type: 'transfer', to: 'bob', amount: 4 });
      const first = decideBatch(domain, state, [deposit('c1', 'alice', 10), transfer]);
      const retried = decideBatch(domain, state, [transfer]);
      expect(first.outbox).toHaveLength(1);
      expect(retried.outbox).toEqual([]);
      expect(state.aggregate('alice').balance).toBe(6);
    });

    it('is decided again once evicted from the dedupe window', () => {
      const small = new PartitionState(domain, 2);
      decideBatch(domain, small, [deposit('c1', 'alice', 10), deposit('c2', 'alice', 1), deposit('c3', 'alice', 1)]);
      const writes = decideBatch(domain, small, [deposit('c1', 'alice', 10)]);
      expect(writes.records).toHaveLength(1);
      expect(small.aggregate('alice').balance).toBe(22);
    });
  });

  describe('replies', () => {
    it('go only to commands with replyTo, in command order', () => {
      const otherReplyTo = { topic: 't1-accounts.replies', partition: 0 };
      const writes = decideBatch(domain, state, [
        deposit('c1', 'alice', 10, { replyTo }),
        deposit('c2', 'alice', 5),
        withdraw('c3', 'bob', 1, { replyTo: otherReplyTo }),
      ]);
      expect(writes.replies).toEqual([
        { to: replyTo, commandId: 'c1', outcome: { ok: true, reply: { balance: 10, held: 0 } } },
        { to: otherReplyTo, commandId: 'c3', outcome: { ok: false, rejection: { code: 'insufficient_funds', message: 'available 0' } } },
      ]);
    });

    it('carry the same outcome as the record', () => {
      const writes = decideBatch(domain, state, [deposit('c1', 'alice', 10, { replyTo })]);
      const [{ record }] = writes.records;
      expect(record.type === 'outcome' && record.outcome).toEqual(writes.replies[0].outcome);
    });
  });

  it('collects the outbox of every accepted command, stamped with the time of its cause', () => {
    const writes = decideBatch(domain, state, [
      deposit('c1', 'alice', 10),
      envelope('t1', 'alice', { type: 'transfer', to: 'bob', amount: 4 }),
      envelope('t2', 'alice', { type: 'transfer', to: 'carol', amount: 100 }),
      envelope('t3', 'alice', { type: 'transfer', to: 'carol', amount: 6 }, { issuedAt: 2500 }),
    ]);
    expect(writes.outbox).toEqual([
      { aggregateId: 'bob', commandId: 't1:credit', issuedAt: 1000, command: { type: 'credit', from: 'alice', transferId: 't1', amount: 4 } },
      { aggregateId: 'carol', commandId: 't3:credit', issuedAt: 2500, command: { type: 'credit', from: 'alice', transferId: 't3', amount: 6 } },
    ]);
    // The credits travel through the commands topic; this batch does not apply them.
    expect(state.aggregateView.has('bob')).toBe(false);
    expect(state.aggregate('alice').balance).toBe(0);
  });

  describe('an invalid payload', () => {
    const invalid = envelope('c1', 'alice', { type: 'deposit', amount: -5 }, { replyTo });

    it('is rejected as invalid_payload and recorded, leaving the aggregate untouched', () => {
      const writes = decideBatch(domain, state, [invalid]);
      expect(writes.records).toEqual([
        {
          key: 'alice',
          record: {
            type: 'outcome',
            commandId: 'c1',
            aggregateId: 'alice',
            events: [],
            outcome: { ok: false, rejection: { code: INVALID_PAYLOAD, message: expect.stringContaining('amount') } },
          },
        },
      ]);
      expect(writes.replies).toEqual([{ to: replyTo, commandId: 'c1', outcome: { ok: false, rejection: { code: 'invalid_payload', message: expect.any(String) } } }]);
      expect(writes.outbox).toEqual([]);
      expect(state.aggregateView.size).toBe(0);
    });

    it('gives a retry the same outcome, even with a corrected payload', () => {
      const first = decideBatch(domain, state, [invalid]);
      const retried = decideBatch(domain, state, [deposit('c1', 'alice', 5, { replyTo })]);
      expect(retried.records).toEqual([]);
      expect(retried.replies).toEqual(first.replies);
      expect(state.aggregate('alice').balance).toBe(0);
    });

    it('does not stop the rest of the batch', () => {
      decideBatch(domain, state, [deposit('c0', 'alice', 3), envelope('c1', 'alice', { type: 'nope' }), envelope('c2', 'alice', null), deposit('c3', 'alice', 4)]);
      expect(state.aggregate('alice').balance).toBe(7);
      expect(state.dedupe.outcomeOf('c2')).toMatchObject({ ok: false, rejection: { code: INVALID_PAYLOAD } });
    });
  });
});

describe('decideBatch consumed position', () => {
  const domain = accountsDomain();

  it('moves with the records it writes, so replay reaches the same position', () => {
    const live = new PartitionState(domain as never, 100);
    const writes = decideBatch(domain, live, [
      { commandId: 'a', aggregateId: 'x', issuedAt: 0, command: { type: 'deposit', amount: 1 }, offset: 7 },
      { commandId: 'a', aggregateId: 'x', issuedAt: 0, command: { type: 'deposit', amount: 1 }, offset: 8 },
      { commandId: 'timer', aggregateId: 'x', issuedAt: 0, command: { type: 'expire-holds' } },
    ]);
    expect(writes.records.map(({ record }) => (record.type === 'outcome' ? record.commandOffset : 'checkpoint'))).toEqual([7, undefined]);
    expect(live.consumedOffset).toBe(7);

    const replayed = new PartitionState(domain as never, 100);
    writes.records.forEach(({ record }, index) => replayed.apply(record, index));
    expect(replayed.consumedOffset).toBe(7);
    expect(replayed.hash()).toBe(live.hash());
  });
});
