import { Account, accountsDomain } from '@app/engine/testing';
import { claimed, deposit, envelope, outboxOf, replyTo, transfer, withdraw } from './account-envelopes.testing';
import { decideBatch, INVALID_PAYLOAD } from './decide-batch';
import { PartitionState } from './partition-state';

const domain = accountsDomain();

describe('decideBatch', () => {
  let state: PartitionState<Account>;
  beforeEach(() => {
    state = claimed();
  });

  it('records each outcome with its events, keyed by aggregate, and folds it into state', () => {
    const writes = decideBatch(domain, state, [deposit('c1', 'alice', 10), withdraw('c2', 'bob', 1)]);
    expect(writes.records).toEqual([
      {
        key: 'alice',
        record: {
          v: 1,
          type: 'outcome',
          eventsVersion: 1,
          claim: 4,
          commandId: 'c1',
          aggregateId: 'alice',
          events: [{ type: 'deposited', amount: 10 }],
          outcome: { ok: true, reply: { balance: 10, held: 0 } },
          issuedAt: 1000,
        },
      },
      {
        key: 'bob',
        record: {
          v: 1,
          type: 'outcome',
          eventsVersion: 1,
          claim: 4,
          commandId: 'c2',
          aggregateId: 'bob',
          events: [],
          outcome: { ok: false, rejection: { code: 'insufficient_funds', message: 'available 0' } },
          issuedAt: 1000,
        },
      },
    ]);
    expect(state.aggregate('alice')).toEqual({ balance: 10, holds: {} });
    expect(state.aggregateStates.has('bob')).toBe(false);
    expect(state.dedupe.image().outcomes.map(([requester, id]) => [requester, id])).toEqual([
      ['alice', 'c1'],
      ['bob', 'c2'],
    ]);
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
        failures: [],
      });
      expect(state.hash()).toBe(before.hash);
      expect(state.image()).toEqual(before.image);
    });

    it('does not send a transfer credit again', () => {
      const first = decideBatch(domain, state, [deposit('c1', 'alice', 10), transfer('t1', 'bob', 4)]);
      const retried = decideBatch(domain, state, [transfer('t1', 'bob', 4)]);
      expect(outboxOf(first.records[1].record)).toHaveLength(1);
      expect(retried.records).toEqual([]);
      expect(state.aggregate('alice').balance).toBe(6);
    });

    it('is decided again once forgotten, when it comes as a first attempt (no firstIssuedAt)', () => {
      const small = claimed(2);
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

  describe('the outbox', () => {
    it('goes inside the outcome record of each accepted command, stamped with the time of its cause', () => {
      const writes = decideBatch(domain, state, [
        deposit('c1', 'alice', 10),
        transfer('t1', 'bob', 4),
        transfer('t2', 'carol', 100),
        transfer('t3', 'carol', 6, { issuedAt: 2500 }),
      ]);
      expect(writes.records.map(({ record }) => outboxOf(record))).toEqual([
        undefined,
        [{ aggregateId: 'bob', commandId: 't1:credit', issuedAt: 1000, command: { type: 'credit', from: 'alice', transferId: 't1', amount: 4 } }],
        undefined,
        [{ aggregateId: 'carol', commandId: 't3:credit', issuedAt: 2500, command: { type: 'credit', from: 'alice', transferId: 't3', amount: 6 } }],
      ]);
      // The credits travel through the commands topic; this batch does not apply them.
      expect(state.aggregateStates.has('bob')).toBe(false);
      expect(state.aggregate('alice').balance).toBe(0);
    });

    it('is left out of a record whose command sends nothing, rather than written empty', () => {
      const writes = decideBatch(domain, state, [deposit('c1', 'alice', 10), transfer('t1', 'alice', 1), transfer('t2', 'bob', 50)]);
      for (const { record } of writes.records) expect(record).not.toHaveProperty('outbox');
    });

    it('is not yet unsent: that waits until the record has an offset', () => {
      const writes = decideBatch(domain, state, [deposit('c1', 'alice', 10), transfer('t1', 'bob', 4)]);
      expect(state.unsent).toEqual([]);
      state.written(writes.records[1].record, 9);
      expect(state.unsent).toEqual([{ offset: 9, outbox: outboxOf(writes.records[1].record) }]);
    });
  });

  describe('the claim', () => {
    it('is stamped on every record: the one the state folded in last', () => {
      state.apply({ type: 'claim', owner: 'next' }, 17);
      const writes = decideBatch(domain, state, [deposit('c1', 'alice', 10), withdraw('c2', 'bob', 1), envelope('c3', 'carol', 'junk')]);
      expect(writes.records.map(({ record }) => record.type !== 'claim' && record.claim)).toEqual([17, 17, 17]);
    });
  });

  describe('an invalid payload', () => {
    const invalid = envelope('c1', 'alice', { type: 'deposit', amount: -5 }, { replyTo });

    it('is rejected as invalid_payload and recorded, leaving the aggregate untouched', () => {
      const writes = decideBatch(domain, state, [invalid]);
      expect(writes.records).toEqual([
        {
          key: 'alice',
          record: {
            v: 1,
            type: 'outcome',
            eventsVersion: 1,
            claim: 4,
            commandId: 'c1',
            aggregateId: 'alice',
            events: [],
            outcome: { ok: false, rejection: { code: INVALID_PAYLOAD, message: expect.stringContaining('amount') } },
            issuedAt: 1000,
          },
        },
      ]);
      expect(writes.replies).toEqual([
        { to: replyTo, commandId: 'c1', outcome: { ok: false, rejection: { code: 'invalid_payload', message: expect.any(String) } } },
      ]);
      expect(writes.records[0].record).not.toHaveProperty('outbox');
      expect(state.aggregateStates.size).toBe(0);
    });

    it('gives a retry the same outcome, even with a corrected payload', () => {
      const first = decideBatch(domain, state, [invalid]);
      const retried = decideBatch(domain, state, [deposit('c1', 'alice', 5, { replyTo })]);
      expect(retried.records).toEqual([]);
      expect(retried.replies).toEqual(first.replies);
      expect(state.aggregate('alice').balance).toBe(0);
    });

    it('does not stop the rest of the batch', () => {
      decideBatch(domain, state, [
        deposit('c0', 'alice', 3),
        envelope('c1', 'alice', { type: 'nope' }),
        envelope('c2', 'alice', null),
        deposit('c3', 'alice', 4),
      ]);
      expect(state.aggregate('alice').balance).toBe(7);
      expect(state.dedupe.outcomeOf('c2')).toMatchObject({ ok: false, rejection: { code: INVALID_PAYLOAD } });
    });
  });
});
