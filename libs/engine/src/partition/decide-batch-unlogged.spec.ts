import { accountsDomain } from '@app/engine/testing';
import { claimed, deposit, envelope, replyTo, withdraw } from './account-envelopes.testing';
import { decideBatch, POSITION_EVERY_NOOPS } from './decide-batch';
import { PartitionState } from './partition-state';
import { LogRecord } from './records';

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
        record: {
          v: 1,
          type: 'outcome',
          eventsVersion: 1,
          claim: 4,
          commandId: `x${POSITION_EVERY_NOOPS - 1}`,
          aggregateId: 'alice',
          events: [],
          outcome: { ok: true, reply: null },
          issuedAt: 1,
          commandOffset: 99 + POSITION_EVERY_NOOPS,
          forget: true,
        },
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
