import { decideBatch } from '../../partition/decide-batch';
import { PartitionState } from '../../partition/partition-state';
import { Account, AccountCommand, accountsDomain } from './accounts';

const account = (balance: number, holds: Account['holds'] = {}): Account => ({ balance, holds });

/** The accounts domain's edges: what its commands parse from, and the timer that sweeps expired holds. */
describe('accounts', () => {
  const domain = accountsDomain();

  describe('parseCommand', () => {
    const valid: AccountCommand[] = [
      { type: 'deposit', amount: 1 },
      { type: 'withdraw', amount: 1_000_000_000_000 },
      { type: 'transfer', to: 'bob', amount: 5 },
      { type: 'credit', from: 'alice', transferId: 'tx-1', amount: 5 },
      { type: 'hold', holdId: 'h1', amount: 5, ttlMs: 1000 },
      { type: 'expire-holds' },
    ];

    it.each(valid)('accepts %j', (command) => expect(domain.parseCommand(command)).toEqual({ ok: true, command }));

    it('drops unknown fields', () =>
      expect(domain.parseCommand({ type: 'deposit', amount: 3, extra: true })).toEqual({ ok: true, command: { type: 'deposit', amount: 3 } }));

    it.each<[string, unknown]>([
      ['a negative amount', { type: 'deposit', amount: -5 }],
      ['a zero amount', { type: 'withdraw', amount: 0 }],
      ['a fractional amount', { type: 'deposit', amount: 1.5 }],
      ['a huge amount', { type: 'deposit', amount: 1_000_000_000_001 }],
      ['an unsafe integer amount', { type: 'deposit', amount: 2 ** 60 }],
      ['a non-finite amount', { type: 'deposit', amount: Infinity }],
      ['a NaN amount', { type: 'deposit', amount: NaN }],
      ['an amount as text', { type: 'deposit', amount: '5' }],
      ['a missing amount', { type: 'withdraw' }],
      ['an unknown type', { type: 'steal', amount: 5 }],
      ['a missing type', { amount: 5 }],
      ['a transfer without a receiver', { type: 'transfer', amount: 5 }],
      ['a transfer to an empty id', { type: 'transfer', to: '', amount: 5 }],
      ['a transfer to a too long id', { type: 'transfer', to: 'x'.repeat(201), amount: 5 }],
      ['a credit without a transferId', { type: 'credit', from: 'alice', amount: 5 }],
      ['a hold without a ttl', { type: 'hold', holdId: 'h1', amount: 5 }],
      ['a hold with a zero ttl', { type: 'hold', holdId: 'h1', amount: 5, ttlMs: 0 }],
      ['a hold with an empty id', { type: 'hold', holdId: '', amount: 5, ttlMs: 10 }],
      ['null', null],
      ['a string', 'deposit'],
      ['an array', [{ type: 'deposit', amount: 5 }]],
    ])('refuses %s', (_name, payload) => {
      const parsed = domain.parseCommand(payload);
      expect(parsed).toEqual({ ok: false, message: expect.any(String) });
      expect(parsed.ok || parsed.message.length).toBeGreaterThan(0);
    });

    it('names the offending field', () =>
      expect(domain.parseCommand({ type: 'deposit', amount: -5 })).toMatchObject({ ok: false, message: expect.stringContaining('amount') }));
  });

  describe('hold sweep timer', () => {
    it('is off unless asked for', () => {
      expect(accountsDomain().timer).toBeUndefined();
      expect(accountsDomain({}).timer).toBeUndefined();
    });

    const timer = accountsDomain({ holdSweepMs: 250 }).timer!;
    const aggregates = new Map<string, Account>([
      ['carol', account(5)],
      ['alice', account(10, { b: { amount: 1, expiresAt: 100 }, a: { amount: 1, expiresAt: 200 }, c: { amount: 1, expiresAt: 300 } })],
      ['bob', account(10, { x: { amount: 1, expiresAt: 1000 } })],
    ]);

    it('runs at the configured interval', () => expect(timer.intervalMs).toBe(250));

    it('issues nothing while no hold is due', () => expect(timer.commands(aggregates, 99)).toEqual([]));

    it('issues expire-holds only for accounts with a due hold, named after the first due hold', () => {
      expect(timer.commands(aggregates, 100)).toEqual([{ aggregateId: 'alice', commandId: 'expire:alice:b@100', command: { type: 'expire-holds' } }]);
      expect(timer.commands(aggregates, 250)).toEqual([{ aggregateId: 'alice', commandId: 'expire:alice:a@200', command: { type: 'expire-holds' } }]);
      expect(timer.commands(aggregates, 1000)).toEqual([
        { aggregateId: 'alice', commandId: 'expire:alice:a@200', command: { type: 'expire-holds' } },
        { aggregateId: 'bob', commandId: 'expire:bob:x@1000', command: { type: 'expire-holds' } },
      ]);
    });

    it('issues the same ids on every owner for the same state and time', () =>
      expect(
        timer
          .commands(new Map([...aggregates].reverse()), 300)
          .map((c) => c.commandId)
          .sort(),
      ).toEqual(
        timer
          .commands(aggregates, 300)
          .map((c) => c.commandId)
          .sort(),
      ));

    it('issues commands the domain accepts', () => {
      for (const outgoing of timer.commands(aggregates, 1000)) expect(domain.parseCommand(outgoing.command)).toEqual({ ok: true, command: outgoing.command });
    });

    it('expires a hold id reused after an earlier sweep', () => {
      const sweepDomain = accountsDomain({ holdSweepMs: 250 });
      const state = new PartitionState(sweepDomain, 100);
      const run = (issuedAt: number, ...commands: { commandId: string; command: unknown }[]) =>
        decideBatch(
          sweepDomain,
          state,
          commands.map((c) => ({ ...c, aggregateId: 'alice', issuedAt })),
        );
      const sweep = (now: number) => run(now, ...sweepDomain.timer!.commands(state.aggregateStates, now));

      run(
        0,
        { commandId: 'd', command: { type: 'deposit', amount: 10 } },
        { commandId: 'h-1', command: { type: 'hold', holdId: 'h1', amount: 10, ttlMs: 100 } },
      );
      sweep(150);
      expect(state.aggregate('alice').holds).toEqual({});

      run(200, { commandId: 'h-2', command: { type: 'hold', holdId: 'h1', amount: 10, ttlMs: 100 } });
      sweep(350);
      expect(state.aggregate('alice').holds).toEqual({});
    });
  });
});
