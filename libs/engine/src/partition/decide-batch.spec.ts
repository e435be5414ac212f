import { Account, accountsDomain } from '@app/accounts';
import { decideBatch, INVALID_PAYLOAD, POSITION_EVERY_NOOPS } from './decide-batch';
import { PartitionState } from './partition-state';
import { CommandEnvelope, LogRecord } from './records';

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
const transfer = (commandId: string, to: string, amount: number, extra: Partial<CommandEnvelope> = {}) =>
  envelope(commandId, 'alice', { type: 'transfer', to, amount }, extra);
/** A credit as another partition's outbox sends it, from `source` at `offset`/`index` there. */
const credited = (commandId: string, aggregateId: string, amount: number, [source, offset, index]: [string, number, number]) =>
  envelope(commandId, aggregateId, { type: 'credit', from: 'zed', transferId: commandId, amount }, { origin: { source, offset, index }, replyTo });
const outboxOf = (record: LogRecord) => (record.type === 'outcome' ? record.outbox : undefined);
/** A state as an owner has it after recovery: its claim, at offset 4, folded in. */
const claimed = (dedupeCapacity = 100) => {
  const state = new PartitionState(domain, dedupeCapacity);
  state.apply({ type: 'claim', owner: 'me' }, 4);
  return state;
};

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
          type: 'outcome',
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
          type: 'outcome',
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
    expect(state.aggregateView.has('bob')).toBe(false);
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
      expect(state.aggregateView.has('bob')).toBe(false);
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

  describe('an outbox command (with an origin)', () => {
    const bank1 = 'accounts.events#1';
    const bank2 = 'accounts.events#2';

    it('is decided and recorded with its origin, which it marks applied', () => {
      const writes = decideBatch(domain, state, [credited('k1', 'bob', 5, [bank1, 7, 0])]);
      expect(writes.records).toEqual([{ key: 'bob', record: expect.objectContaining({ commandId: 'k1', origin: { source: bank1, offset: 7, index: 0 } }) }]);
      expect(state.aggregate('bob').balance).toBe(5);
      expect(state.isNewOrigin({ source: bank1, offset: 7, index: 0 })).toBe(false);
    });

    it.each<[string, [string, number, number]]>([
      ['the same origin', [bank1, 7, 1]],
      ['an earlier index of the same record', [bank1, 7, 0]],
      ['an earlier record', [bank1, 6, 5]],
    ])('is dropped when it repeats %s: no record, no reply, no change', (_name, origin) => {
      decideBatch(domain, state, [credited('k1', 'bob', 5, [bank1, 7, 1])]);
      const before = { hash: state.hash(), image: state.image() };
      // A new commandId: the origin alone must drop it, not the dedupe window.
      const writes = decideBatch(domain, state, [credited('k2', 'bob', 100, origin)]);
      expect(writes).toEqual({ records: [], replies: [], failures: [] });
      expect(state.hash()).toBe(before.hash);
      expect(state.image()).toEqual(before.image);
      expect(state.dedupe.outcomeOf('k2')).toBeUndefined();
    });

    it('is dropped when it repeats within the same batch', () => {
      const writes = decideBatch(domain, state, [credited('k1', 'bob', 5, [bank1, 7, 0]), credited('k2', 'bob', 100, [bank1, 7, 0])]);
      expect(writes.records.map(({ record }) => record.type === 'outcome' && record.commandId)).toEqual(['k1']);
      expect(writes.replies.map(({ commandId }) => commandId)).toEqual(['k1']);
      expect(state.aggregate('bob').balance).toBe(5);
    });

    it.each<[string, [string, number, number]]>([
      ['a later index of the same record', [bank1, 7, 2]],
      ['a later record, even at a lower index', [bank1, 8, 0]],
      ['another source, even at a lower offset', [bank2, 0, 0]],
    ])('is accepted from %s', (_name, origin) => {
      decideBatch(domain, state, [credited('k1', 'bob', 5, [bank1, 7, 1])]);
      const writes = decideBatch(domain, state, [credited('k2', 'bob', 100, origin)]);
      const [source, offset, index] = origin;
      expect(writes.records.map(({ record }) => record.type === 'outcome' && record.origin)).toEqual([{ source, offset, index }]);
      expect(state.aggregate('bob').balance).toBe(105);
    });

    it('tracks each source on its own', () => {
      decideBatch(domain, state, [credited('k1', 'bob', 1, [bank1, 9, 0]), credited('k2', 'bob', 2, [bank2, 3, 0])]);
      const writes = decideBatch(domain, state, [
        credited('k3', 'bob', 4, [bank2, 4, 0]),
        credited('k4', 'bob', 8, [bank1, 8, 0]),
        credited('k5', 'bob', 16, [bank2, 3, 0]),
        credited('k6', 'bob', 32, [bank1, 9, 1]),
      ]);
      expect(writes.records.map(({ record }) => record.type === 'outcome' && record.commandId)).toEqual(['k3', 'k6']);
      expect(state.image().origins).toEqual([
        [bank1, 9, 1],
        [bank2, 4, 0],
      ]);
    });

    it('leaves the same origins and hash on replay as live', () => {
      const log: LogRecord[] = [{ type: 'claim', owner: 'me' }];
      const live = new PartitionState(domain, 100);
      live.apply(log[0], 0);
      for (const batch of [
        [credited('k1', 'bob', 1, [bank1, 9, 0]), credited('k2', 'bob', 2, [bank2, 3, 0]), envelope('bad', 'bob', 'junk', { origin: { source: bank2, offset: 3, index: 1 } })],
        [credited('k3', 'bob', 4, [bank1, 9, 0]), credited('k4', 'bob', 8, [bank1, 10, 0])],
      ]) {
        for (const { record } of decideBatch(domain, live, batch).records) {
          log.push(record);
          live.written(record, log.length - 1);
        }
      }
      const replayed = new PartitionState(domain, 100);
      log.forEach((record, offset) => replayed.apply(record, offset));
      expect(replayed.image().origins).toEqual([
        [bank1, 10, 0],
        [bank2, 3, 1],
      ]);
      expect(replayed.image()).toEqual(live.image());
      expect(replayed.hash()).toBe(live.hash());
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
            type: 'outcome',
            claim: 4,
            commandId: 'c1',
            aggregateId: 'alice',
            events: [],
            outcome: { ok: false, rejection: { code: INVALID_PAYLOAD, message: expect.stringContaining('amount') } },
            issuedAt: 1000,
          },
        },
      ]);
      expect(writes.replies).toEqual([{ to: replyTo, commandId: 'c1', outcome: { ok: false, rejection: { code: 'invalid_payload', message: expect.any(String) } } }]);
      expect(writes.records[0].record).not.toHaveProperty('outbox');
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

describe('decideBatch and commands that change nothing', () => {
  const domain = accountsDomain();
  const expire = (commandId: string, issuedAt: number) => envelope(commandId, 'alice', { type: 'expire-holds' }, { issuedAt, replyTo });

  it('answers them without logging or remembering them, so a repeat is decided again', () => {
    const state = claimed();
    decideBatch(domain, state, [deposit('d', 'alice', 10), envelope('h', 'alice', { type: 'hold', holdId: 'h1', amount: 3, ttlMs: 100 })]);
    const early = decideBatch(domain, state, [expire('x', 50)]);
    expect(early.records).toEqual([]);
    expect(early.replies).toEqual([{ to: replyTo, commandId: 'x', outcome: { ok: true, reply: { balance: 10, held: 3 } } }]);
    expect(state.dedupe.outcomeOf('x')).toBeUndefined();
    // The same command later does change something, and then it is logged like any other.
    const late = decideBatch(domain, state, [expire('x', 5_000)]);
    expect(late.records.map(({ record }) => record.type === 'outcome' && record.events)).toEqual([[{ type: 'holds-expired', holdIds: ['h1'] }]]);
  });

  it('logs one of every POSITION_EVERY_NOOPS from the feed, reply-less and forgotten, to move the consumed position', () => {
    const state = claimed();
    const noops = Array.from({ length: POSITION_EVERY_NOOPS + 1 }, (_, index) => ({ ...expire(`x${index}`, 1), offset: 100 + index }));
    const writes = decideBatch(domain, state, noops);
    expect(writes.records).toEqual([
      {
        key: 'alice',
        record: { type: 'outcome', claim: 4, commandId: `x${POSITION_EVERY_NOOPS - 1}`, aggregateId: 'alice', events: [], outcome: { ok: true, reply: null }, issuedAt: 1, commandOffset: 99 + POSITION_EVERY_NOOPS, forget: true },
      },
    ]);
    expect(writes.replies).toHaveLength(noops.length);
    expect(writes.replies.every(({ outcome }) => outcome.ok && outcome.reply !== null)).toBe(true);
    expect(state.consumedOffset).toBe(99 + POSITION_EVERY_NOOPS);

    const replayed = claimed();
    writes.records.forEach(({ record }, index) => replayed.apply(record, 5 + index));
    expect(replayed.consumedOffset).toBe(state.consumedOffset);
    expect(replayed.hash()).toBe(state.hash());
  });

  it('still logs refusals: a retry must get the first outcome even once the state would allow it', () => {
    const state = claimed();
    const writes = decideBatch(domain, state, [withdraw('w', 'alice', 5)]);
    expect(writes.records.map(({ record }) => record.type === 'outcome' && record.commandId)).toEqual(['w']);
    expect(state.dedupe.outcomeOf('w')).toMatchObject({ ok: false });
  });
});

describe('decideBatch and commands the domain does not want remembered', () => {
  const forgetful = { ...accountsDomain(), remembers: (command: { type: string }) => command.type !== 'deposit' };

  it('logs them marked forget and keeps them out of the dedupe window, live and on replay alike', () => {
    const live = claimed();
    const writes = decideBatch(forgetful, live, [deposit('d', 'alice', 5), withdraw('w', 'alice', 1)]);
    expect(writes.records.map(({ record }) => record.type === 'outcome' && [record.commandId, record.forget])).toEqual([
      ['d', true],
      ['w', undefined],
    ]);
    expect(live.dedupe.outcomeOf('d')).toBeUndefined();
    expect(live.dedupe.outcomeOf('w')).toMatchObject({ ok: true });

    const replayed = claimed();
    writes.records.forEach(({ record }, index) => replayed.apply(JSON.parse(JSON.stringify(record)) as LogRecord, 5 + index));
    expect(replayed.dedupe.outcomeOf('d')).toBeUndefined();
    expect(replayed.hash()).toBe(live.hash());
  });
});

describe('decideBatch consumed position', () => {
  const domain = accountsDomain();

  it('moves with the records it writes, so replay reaches the same position', () => {
    const claim: LogRecord = { type: 'claim', owner: 'me' };
    const live = new PartitionState(domain as never, 100);
    live.apply(claim, 0);
    const writes = decideBatch(domain, live, [
      { commandId: 'a', aggregateId: 'x', issuedAt: 0, command: { type: 'deposit', amount: 1 }, offset: 7 },
      { commandId: 'a', aggregateId: 'x', issuedAt: 0, command: { type: 'deposit', amount: 1 }, offset: 8 },
      { commandId: 'timer', aggregateId: 'x', issuedAt: 0, command: { type: 'expire-holds' } },
    ]);
    // The repeat is a dedupe hit and the timer's command changes nothing: neither is logged.
    expect(writes.records.map(({ record }) => (record.type === 'outcome' ? record.commandOffset : 'checkpoint'))).toStrictEqual([7]);
    expect(live.consumedOffset).toBe(7);

    const replayed = new PartitionState(domain as never, 100);
    replayed.apply(claim, 0);
    writes.records.forEach(({ record }, index) => replayed.apply(record, index + 1));
    expect(replayed.consumedOffset).toBe(7);
    expect(replayed.hash()).toBe(live.hash());
  });
});
