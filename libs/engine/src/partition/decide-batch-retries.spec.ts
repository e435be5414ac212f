import { Account, AccountCommand, accountsDomain } from '@app/engine/testing';
import { decideBatch, INTERNAL_ERROR, RETRY_EXPIRED } from './decide-batch';
import { logOwner } from './log-owner.testing';
import { CommandEnvelope } from './records';

const replyTo = { topic: 'accounts.replies', partition: 0 };
const HORIZON = 60_000;

const owner = (domain = accountsDomain(), limits = { horizonMs: HORIZON, perRequester: 100 }) => logOwner(domain, limits);

const at = (issuedAt: number, commandId: string, aggregateId: string, command: AccountCommand, extra: Partial<CommandEnvelope> = {}): CommandEnvelope => ({
  commandId,
  aggregateId,
  issuedAt,
  command,
  replyTo,
  ...extra,
});
const codeOf = (writes: ReturnType<typeof decideBatch>) => writes.replies.map(({ outcome }) => (outcome.ok ? 'ok' : outcome.rejection.code));

describe('decideBatch: a retry', () => {
  it("gets its first outcome however many commands of other requesters came after (the issue's late retry)", () => {
    const bank = owner();
    bank.decide([at(1_000, 'alice:d', 'alice', { type: 'deposit', amount: 100 }), at(1_000, 'alice:t', 'alice', { type: 'transfer', to: 'bob', amount: 40 })]);
    // 15,000 cheap refusals from others, more than the old window of 10,000 held.
    for (let batch = 0; batch < 30; batch++) {
      bank.decide(
        Array.from({ length: 500 }, (_, index) =>
          at(2_000 + batch * 500 + index, `p${batch}-${index}:w`, `p${batch}-${index}`, { type: 'withdraw', amount: 1 }),
        ),
      );
    }
    const retried = bank.decide([at(20_000, 'alice:t', 'alice', { type: 'transfer', to: 'bob', amount: 40 }, { firstIssuedAt: 1_000 })]);
    expect(retried.records).toEqual([]);
    expect(retried.replies).toEqual([{ to: replyTo, commandId: 'alice:t', outcome: { ok: true, reply: { balance: 60, held: 0 } } }]);
    expect(bank.state.aggregate('alice').balance).toBe(60);
  });

  it('first sent before the horizon, and forgotten, is refused retry_expired and not applied; the refusal is logged and kept', () => {
    const bank = owner();
    bank.decide([at(1_000, 'alice:d', 'alice', { type: 'deposit', amount: 100 })]);
    bank.decide([at(1_000 + HORIZON + 1, 'bob:d', 'bob', { type: 'deposit', amount: 1 })]);
    expect(bank.state.dedupe.outcomeOf('alice:d')).toBeUndefined();

    const late = bank.decide([at(1_000 + HORIZON + 2, 'alice:d', 'alice', { type: 'deposit', amount: 100 }, { firstIssuedAt: 999 })]);
    expect(late.replies).toEqual([
      { to: replyTo, commandId: 'alice:d', outcome: { ok: false, rejection: { code: RETRY_EXPIRED, message: expect.stringContaining('not applied again') } } },
    ]);
    expect(late.records).toHaveLength(1);
    expect(bank.state.aggregate('alice').balance).toBe(100);
    // Asked again, the same refusal: it is now the first outcome on record.
    expect(codeOf(bank.decide([at(1_000 + HORIZON + 3, 'alice:d', 'alice', { type: 'deposit', amount: 100 }, { firstIssuedAt: 1_000 + HORIZON })]))).toEqual([
      RETRY_EXPIRED,
    ]);
    expect(bank.replayed().hash()).toBe(bank.state.hash());
  });

  it('first sent within the horizon but forgotten to its count bound is refused retry_expired too', () => {
    const bank = owner(accountsDomain(), { horizonMs: HORIZON, perRequester: 2 });
    bank.decide([1, 2, 3].map((n) => at(1_000 * n, `alice:${n}`, 'alice', { type: 'deposit', amount: 1 })));
    expect(codeOf(bank.decide([at(4_000, 'alice:1', 'alice', { type: 'deposit', amount: 1 }, { firstIssuedAt: 1_000 })]))).toEqual([RETRY_EXPIRED]);
    // A new command of another requester is not concerned.
    expect(codeOf(bank.decide([at(4_000, 'bob:1', 'bob', { type: 'deposit', amount: 1 }, { firstIssuedAt: 1_000 })]))).toEqual(['ok']);
    expect(bank.state.aggregate('alice').balance).toBe(3);
  });

  it('without firstIssuedAt counts as a first attempt: never refused as expired (a forgotten one is decided again)', () => {
    const bank = owner();
    bank.decide([at(1_000, 'alice:d', 'alice', { type: 'deposit', amount: 5 })]);
    bank.decide([at(1_000 + HORIZON + 1, 'bob:d', 'bob', { type: 'deposit', amount: 1 })]);
    expect(codeOf(bank.decide([at(1_000 + HORIZON + 2, 'alice:d', 'alice', { type: 'deposit', amount: 5 })]))).toEqual(['ok']);
  });

  it('first sent within the horizon and never seen is decided normally', () => {
    const bank = owner();
    bank.decide([at(100_000, 'bob:d', 'bob', { type: 'deposit', amount: 1 })]);
    expect(codeOf(bank.decide([at(100_001, 'alice:d', 'alice', { type: 'deposit', amount: 5 }, { firstIssuedAt: 100_000 - HORIZON })]))).toEqual(['ok']);
  });

  it('is kept with its requester when that is not the aggregate, and the record says whose it is', () => {
    const bank = owner(accountsDomain(), { horizonMs: HORIZON, perRequester: 1 });
    const writes = bank.decide([
      at(1_000, 'alice:1', 'vault', { type: 'deposit', amount: 1 }, { requester: 'alice' }),
      at(1_001, 'bob:1', 'vault', { type: 'deposit', amount: 1 }, { requester: 'bob' }),
    ]);
    expect(writes.records.map(({ record }) => record.type === 'outcome' && record.requester)).toEqual(['alice', 'bob']);
    // One each: bob's did not push alice's out, though both are the vault's.
    expect(bank.state.dedupe.outcomeOf('alice:1')).toBeDefined();
    expect(bank.replayed().image().dedupe).toEqual(bank.state.image().dedupe);
  });
});

describe('decideBatch with a domain that answers retries from the aggregate (retryReply)', () => {
  const domain = { ...accountsDomain(), retryReply: (_id: string, account: Account) => ({ balance: account.balance, held: 0 }) };

  it('keeps no reply for a success, answers a retry with the aggregate now, and replays to the same hash', () => {
    const bank = owner(domain);
    bank.decide([at(1_000, 'a:1', 'alice', { type: 'deposit', amount: 10 }), at(1_000, 'a:2', 'alice', { type: 'withdraw', amount: 50 })]);
    expect(bank.state.dedupe.outcomeOf('a:1')).toEqual({ ok: true, reply: null });
    // A refusal is kept whole: it cannot be recomputed.
    expect(bank.state.dedupe.outcomeOf('a:2')).toMatchObject({ ok: false, rejection: { code: 'insufficient_funds' } });
    bank.decide([at(2_000, 'a:3', 'alice', { type: 'deposit', amount: 5 })]);
    const retried = bank.decide([at(3_000, 'a:1', 'alice', { type: 'deposit', amount: 10 }, { firstIssuedAt: 1_000 })]);
    expect(retried.records).toEqual([]);
    expect(retried.replies.map(({ outcome }) => outcome)).toEqual([{ ok: true, reply: { balance: 15, held: 0 } }]);
    expect(bank.replayed().hash()).toBe(bank.state.hash());
  });
});

describe('decideBatch with a domain that throws', () => {
  const domain = accountsDomain();
  const bug = new Error('bug');
  const throwing = {
    ...domain,
    decide: (...args: Parameters<typeof domain.decide>) => {
      if (args[2].commandId === 'boom') throw bug;
      return domain.decide(...args);
    },
  };

  it('refuses that command internal_error, serves the others of the batch, and reports the failure', () => {
    const bank = owner(throwing);
    const writes = bank.decide([
      at(1_000, 'before', 'alice', { type: 'deposit', amount: 3 }),
      at(1_000, 'boom', 'alice', { type: 'deposit', amount: 100 }),
      at(1_000, 'after', 'alice', { type: 'deposit', amount: 4 }),
    ]);
    expect(codeOf(writes)).toEqual(['ok', INTERNAL_ERROR, 'ok']);
    expect(writes.failures).toEqual([{ commandId: 'boom', aggregateId: 'alice', error: bug }]);
    expect(bank.state.aggregate('alice').balance).toBe(7);
  });

  it('logs the refusal, so a recovery replays it instead of deciding it again, and a retry gets it without deciding', () => {
    const bank = owner(throwing);
    const writes = bank.decide([at(1_000, 'boom', 'alice', { type: 'deposit', amount: 100 })]);
    expect(writes.records.map(({ record }) => record.type === 'outcome' && record.outcome)).toEqual([
      { ok: false, rejection: { code: INTERNAL_ERROR, message: expect.any(String) } },
    ]);
    expect(bank.replayed().hash()).toBe(bank.state.hash());
    const retried = bank.decide([at(2_000, 'boom', 'alice', { type: 'deposit', amount: 100 }, { firstIssuedAt: 1_000 })]);
    expect(retried.failures).toEqual([]);
    expect(codeOf(retried)).toEqual([INTERNAL_ERROR]);
  });

  it('refuses a command whose evolve throws, leaving the aggregate as it was', () => {
    const evolving = {
      ...domain,
      evolve: (account: Account, event: Parameters<typeof domain.evolve>[1]) => {
        if (event.type === 'withdrawn') throw bug;
        return domain.evolve(account, event);
      },
    };
    const bank = owner(evolving);
    const writes = bank.decide([at(1_000, 'd', 'alice', { type: 'deposit', amount: 10 }), at(1_000, 'w', 'alice', { type: 'withdraw', amount: 5 })]);
    expect(codeOf(writes)).toEqual(['ok', INTERNAL_ERROR]);
    expect(writes.records.map(({ record }) => record.type === 'outcome' && record.events)).toEqual([[{ type: 'deposited', amount: 10 }], []]);
    expect(bank.state.aggregate('alice').balance).toBe(10);
  });

  it('refuses a command whose parseCommand throws', () => {
    const bank = owner({
      ...domain,
      parseCommand: () => {
        throw bug;
      },
    });
    expect(codeOf(bank.decide([at(1_000, 'p', 'alice', { type: 'deposit', amount: 1 })]))).toEqual([INTERNAL_ERROR]);
  });
});
