import { deciderSpec } from '@app/engine/testing';
import { Account, AccountCommand, AccountEvent, accountsDomain } from './accounts';

const deposited = (amount: number): AccountEvent => ({ type: 'deposited', amount });
const withdrawn = (amount: number): AccountEvent => ({ type: 'withdrawn', amount });
const held = (holdId: string, amount: number, expiresAt: number): AccountEvent => ({ type: 'held', holdId, amount, expiresAt });
const holdsExpired = (...holdIds: string[]): AccountEvent => ({ type: 'holds-expired', holdIds });
const account = (balance: number, holds: Account['holds'] = {}): Account => ({ balance, holds });

describe('accounts', () => {
  const domain = accountsDomain();
  const alice = deciderSpec(domain, 'alice');
  const bob = deciderSpec(domain, 'bob');

  describe('state', () => {
    it('starts empty', () => {
      alice.given([]).thenState(account(0));
    });

    it('folds every event', () => {
      alice
        .given([
          deposited(10),
          withdrawn(3),
          { type: 'transfer-sent', transferId: 't1', to: 'bob', amount: 2 },
          { type: 'credited', transferId: 't2', from: 'carol', amount: 5 },
          held('h1', 1, 100),
          held('h2', 2, 200),
          holdsExpired('h1'),
        ])
        .thenState(account(10, { h2: { amount: 2, expiresAt: 200 } }));
    });
  });

  describe('deposit', () => {
    it('adds to the balance and replies with balance and held', () => {
      alice
        .given([deposited(5), held('h', 2, 100)])
        .when({ type: 'deposit', amount: 7 })
        .thenAccepts([deposited(7)], { balance: 12, held: 2 });
    });
  });

  describe('withdraw', () => {
    it('takes up to the whole balance', () => {
      alice
        .given([deposited(10)])
        .when({ type: 'withdraw', amount: 10 })
        .thenAccepts([withdrawn(10)], { balance: 0, held: 0 });
    });

    it('refuses more than the balance', () => {
      alice
        .given([deposited(10)])
        .when({ type: 'withdraw', amount: 11 })
        .thenRejects('insufficient_funds');
    });

    it('refuses anything from an empty account', () => {
      alice.given([]).when({ type: 'withdraw', amount: 1 }).thenRejects('insufficient_funds');
    });

    it('refuses funds that are held', () => {
      alice
        .given([deposited(10), held('h', 4, 1000)])
        .when({ type: 'withdraw', amount: 7 })
        .thenRejects('insufficient_funds');
    });

    it('takes what is not held', () => {
      alice
        .given([deposited(10), held('h', 4, 1000)])
        .when({ type: 'withdraw', amount: 6 })
        .thenAccepts([withdrawn(6)], { balance: 4, held: 4 });
    });

    it('can use funds again once their hold expired', () => {
      alice
        .given([deposited(10), held('h', 10, 100), holdsExpired('h')])
        .when({ type: 'withdraw', amount: 10 })
        .thenAccepts([withdrawn(10)]);
    });
  });

  describe('transfer', () => {
    const transfer: AccountCommand = { type: 'transfer', to: 'bob', amount: 4 };

    it('debits the sender and sends exactly one credit with an id derived from the command', () => {
      const decision = alice
        .given([deposited(10)])
        .when(transfer, { commandId: 'tx-1' })
        .thenAccepts([{ type: 'transfer-sent', transferId: 'tx-1', to: 'bob', amount: 4 }], { balance: 6, held: 0 });
      expect(decision.kind === 'accepted' && decision.outbox).toEqual([
        { aggregateId: 'bob', commandId: 'tx-1:credit', command: { type: 'credit', from: 'alice', transferId: 'tx-1', amount: 4 } },
      ]);
    });

    it('sends the same credit when the same command is decided again', () => {
      const first = alice.given([deposited(10)]).when(transfer, { commandId: 'tx-1', issuedAt: 1 }).decision;
      const retried = alice.given([deposited(10)]).when(transfer, { commandId: 'tx-1', issuedAt: 2 }).decision;
      expect(retried).toEqual(first);
      expect(first.kind === 'accepted' && first.outbox).toHaveLength(1);
    });

    it('sends a credit the receiver accepts', () => {
      const decision = alice.given([deposited(10)]).when(transfer, { commandId: 'tx-1' }).decision;
      const credit = decision.kind === 'accepted' ? decision.outbox[0] : undefined;
      const parsed = domain.parseCommand(credit?.command);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      bob
        .given([deposited(1)])
        .when(parsed.command, { commandId: credit!.commandId })
        .thenAccepts([{ type: 'credited', transferId: 'tx-1', from: 'alice', amount: 4 }], { balance: 5, held: 0 });
    });

    it('refuses a transfer to the same account', () => {
      alice
        .given([deposited(10)])
        .when({ type: 'transfer', to: 'alice', amount: 1 })
        .thenRejects('invalid_transfer');
    });

    it('refuses more than the balance', () => {
      alice
        .given([deposited(3)])
        .when(transfer)
        .thenRejects('insufficient_funds');
    });

    it('refuses funds that are held', () => {
      alice
        .given([deposited(10), held('h', 7, 1000)])
        .when(transfer)
        .thenRejects('insufficient_funds');
    });

    it('sends nothing when refused', () => {
      const { decision } = alice.given([]).when(transfer);
      expect(decision).toEqual({ kind: 'rejected', rejection: { code: 'insufficient_funds', message: 'available 0' } });
    });
  });

  describe('credit', () => {
    it('adds to the balance', () => {
      bob
        .given([])
        .when({ type: 'credit', from: 'alice', transferId: 'tx-1', amount: 4 })
        .thenAccepts([{ type: 'credited', transferId: 'tx-1', from: 'alice', amount: 4 }], { balance: 4, held: 0 });
    });
  });

  describe('hold', () => {
    it('reserves funds until issuedAt + ttl', () => {
      alice
        .given([deposited(10)])
        .when({ type: 'hold', holdId: 'h1', amount: 4, ttlMs: 1000 }, { issuedAt: 5000 })
        .thenAccepts([held('h1', 4, 6000)], { balance: 10, held: 4 });
    });

    it('refuses a hold id that is already held, even when the funds suffice', () => {
      alice
        .given([deposited(10), held('h1', 1, 6000)])
        .when({ type: 'hold', holdId: 'h1', amount: 1, ttlMs: 10 })
        .thenRejects('duplicate_hold');
    });

    it('refuses more than the funds not already held', () => {
      alice
        .given([deposited(10), held('h1', 6, 6000)])
        .when({ type: 'hold', holdId: 'h2', amount: 5, ttlMs: 10 })
        .thenRejects('insufficient_funds');
    });

    it('accepts exactly the funds not already held', () => {
      alice
        .given([deposited(10), held('h1', 6, 6000)])
        .when({ type: 'hold', holdId: 'h2', amount: 4, ttlMs: 10 }, { issuedAt: 100 })
        .thenAccepts([held('h2', 4, 110)], { balance: 10, held: 10 });
    });

    it('accepts a hold id again once the earlier hold expired', () => {
      alice
        .given([deposited(10), held('h1', 1, 100), holdsExpired('h1')])
        .when({ type: 'hold', holdId: 'h1', amount: 2, ttlMs: 10 }, { issuedAt: 200 })
        .thenAccepts([held('h1', 2, 210)]);
    });
  });

  describe('expire-holds', () => {
    const holds = [deposited(10), held('b', 1, 100), held('a', 2, 200), held('c', 4, 300)];

    it('expires the holds due at issuedAt, inclusive, in id order', () => {
      alice
        .given(holds)
        .when({ type: 'expire-holds' }, { issuedAt: 200 })
        .thenAccepts([holdsExpired('a', 'b')], { balance: 10, held: 4 });
    });

    it('expires nothing before the first hold is due', () => {
      alice.given(holds).when({ type: 'expire-holds' }, { issuedAt: 99 }).thenAccepts([], { balance: 10, held: 7 });
    });

    it('accepts with no events on an account without holds', () => {
      alice
        .given([deposited(1)])
        .when({ type: 'expire-holds' }, { issuedAt: 1_000_000 })
        .thenAccepts([], { balance: 1, held: 0 });
    });
  });
});
