import { Account, AccountCommand, AccountEvent, accountsDomain, evolveAccount } from '@app/engine/testing';
import { AggregateDomain } from '../domain/aggregate-domain';
import { INTERNAL_ERROR } from './decide-batch';
import { logOwner } from './log-owner.testing';
import { CommandEnvelope } from './records';

const replyTo = { topic: 'accounts.replies', partition: 0 };
type AccountsDomain = AggregateDomain<Account, AccountCommand, AccountEvent, unknown>;

const owner = (domain: AccountsDomain) => logOwner(domain, 100);

const command = (commandId: string, aggregateId: string, body: AccountCommand): CommandEnvelope => ({
  commandId,
  aggregateId,
  issuedAt: 1000,
  command: body,
  replyTo,
});
const deposit = (commandId: string, amount: number) => command(commandId, 'alice', { type: 'deposit', amount });

describe('decideBatch and a domain that answers from the state after (its reply)', () => {
  const answering: AccountsDomain = {
    ...accountsDomain(),
    reply: (aggregateId, account, body, events) => ({ aggregateId, balance: account.balance, command: body.type, events: events.length }),
  };

  it('answers and logs the reply it computes from the aggregate after the events, not the decision’s own', () => {
    const alice = owner(answering);
    const writes = alice.decide([deposit('d1', 5), deposit('d2', 7)]);
    const expected = [
      { ok: true, reply: { aggregateId: 'alice', balance: 5, command: 'deposit', events: 1 } },
      { ok: true, reply: { aggregateId: 'alice', balance: 12, command: 'deposit', events: 1 } },
    ];
    expect(writes.replies.map(({ outcome }) => outcome)).toEqual(expected);
    expect(writes.records.map(({ record }) => record.type === 'outcome' && record.outcome)).toEqual(expected);
  });

  it('answers a command that changes nothing from the aggregate as it is', () => {
    const alice = owner(answering);
    alice.decide([deposit('d1', 5)]);
    const writes = alice.decide([command('e1', 'alice', { type: 'expire-holds' })]);
    expect(writes.records).toEqual([]);
    expect(writes.replies.map(({ outcome }) => outcome)).toEqual([
      { ok: true, reply: { aggregateId: 'alice', balance: 5, command: 'expire-holds', events: 0 } },
    ]);
  });

  it('refuses internal_error when the reply throws, leaving the aggregate as it was', () => {
    const failing: AccountsDomain = {
      ...accountsDomain(),
      reply: () => {
        throw new Error('reply bug');
      },
    };
    const alice = owner(failing);
    const writes = alice.decide([deposit('d1', 5)]);
    expect(writes.replies.map(({ outcome }) => !outcome.ok && outcome.rejection.code)).toEqual([INTERNAL_ERROR]);
    expect(writes.failures.map(({ commandId }) => commandId)).toEqual(['d1']);
    expect(alice.state.aggregate('alice').balance).toBe(0);
    expect(alice.replayed().hash()).toBe(alice.state.hash());
  });
});

describe('decideBatch and decisions that carry the state after their events', () => {
  let evolutions = 0;
  const base = accountsDomain();
  const carrying: AccountsDomain = {
    ...base,
    evolve: (account, event) => {
      evolutions++;
      return evolveAccount(account, event);
    },
    decide: (body, account, context) => {
      const decision = base.decide(body, account, context);
      return decision.kind === 'accepted' ? { ...decision, evolved: decision.events.reduce(evolveAccount, account) } : decision;
    },
  };
  beforeEach(() => (evolutions = 0));

  it('keeps that state live without evolving the events, and replay evolves them to the same hash', () => {
    const alice = owner(carrying);
    alice.decide([
      deposit('d1', 5),
      command('w1', 'alice', { type: 'withdraw', amount: 2 }),
      command('h1', 'alice', { type: 'hold', holdId: 'h', amount: 1, ttlMs: 10 }),
    ]);
    expect(evolutions).toBe(0);
    expect(alice.state.aggregate('alice')).toEqual({ balance: 3, holds: { h: { amount: 1, expiresAt: 1010 } } });
    const replayed = alice.replayed();
    expect(evolutions).toBe(3);
    expect(replayed.hash()).toBe(alice.state.hash());
    expect(replayed.image()).toEqual(alice.state.image());
  });
});
