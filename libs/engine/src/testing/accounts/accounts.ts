import { z } from 'zod';
import { AggregateDomain, CommandContext } from '../../domain/aggregate-domain';
import { accept, Decision, reject, unreachable } from '../../domain/decision';
import { parseWith } from '../../domain/parse-with';

/**
 * The engine's test aggregate: bank accounts with deposits, withdrawals, transfers to accounts on
 * any partition (through the outbox), and holds that a timer expires. Independent of any game rule.
 */
const amount = z.number().int().positive().max(1_000_000_000_000);
const accountId = z.string().min(1).max(200);

export const accountCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('deposit'), amount }),
  z.object({ type: z.literal('withdraw'), amount }),
  z.object({ type: z.literal('transfer'), to: accountId, amount }),
  z.object({ type: z.literal('credit'), from: accountId, transferId: z.string().min(1), amount }),
  z.object({ type: z.literal('hold'), holdId: z.string().min(1).max(200), amount, ttlMs: z.number().int().positive() }),
  z.object({ type: z.literal('expire-holds') }),
]);

export type AccountCommand = z.infer<typeof accountCommandSchema>;

export type AccountEvent =
  | { type: 'deposited'; amount: number }
  | { type: 'withdrawn'; amount: number }
  | { type: 'transfer-sent'; transferId: string; to: string; amount: number }
  | { type: 'credited'; transferId: string; from: string; amount: number }
  | { type: 'held'; holdId: string; amount: number; expiresAt: number }
  | { type: 'holds-expired'; holdIds: string[] };

export interface Account {
  balance: number;
  holds: Record<string, { amount: number; expiresAt: number }>;
}

export interface AccountReply {
  balance: number;
  held: number;
}

export const initialAccount = (): Account => ({ balance: 0, holds: {} });

const heldOf = (account: Account) => Object.values(account.holds).reduce((sum, hold) => sum + hold.amount, 0);
const available = (account: Account) => account.balance - heldOf(account);

function after(account: Account, events: AccountEvent[]): Decision<AccountEvent, AccountReply> {
  const next = events.reduce(evolveAccount, account);
  return accept(events, { balance: next.balance, held: heldOf(next) });
}

export function decideAccount(command: AccountCommand, account: Account, context: CommandContext): Decision<AccountEvent, AccountReply> {
  switch (command.type) {
    case 'deposit':
      return after(account, [{ type: 'deposited', amount: command.amount }]);
    case 'withdraw':
      if (available(account) < command.amount) return reject('insufficient_funds', `available ${available(account)}`);
      return after(account, [{ type: 'withdrawn', amount: command.amount }]);
    case 'transfer': {
      if (command.to === context.aggregateId) return reject('invalid_transfer', 'cannot transfer to the same account');
      if (available(account) < command.amount) return reject('insufficient_funds', `available ${available(account)}`);
      const transferId = context.commandId;
      const decision = after(account, [{ type: 'transfer-sent', transferId, to: command.to, amount: command.amount }]);
      if (decision.kind === 'accepted') {
        decision.outbox.push({
          aggregateId: command.to,
          commandId: `${transferId}:credit`,
          command: { type: 'credit', from: context.aggregateId, transferId, amount: command.amount },
        });
      }
      return decision;
    }
    case 'credit':
      return after(account, [{ type: 'credited', transferId: command.transferId, from: command.from, amount: command.amount }]);
    case 'hold':
      if (account.holds[command.holdId]) return reject('duplicate_hold', `hold ${command.holdId} exists`);
      if (available(account) < command.amount) return reject('insufficient_funds', `available ${available(account)}`);
      return after(account, [{ type: 'held', holdId: command.holdId, amount: command.amount, expiresAt: context.issuedAt + command.ttlMs }]);
    case 'expire-holds': {
      const due = Object.keys(account.holds)
        .filter((holdId) => account.holds[holdId].expiresAt <= context.issuedAt)
        .sort();
      return after(account, due.length ? [{ type: 'holds-expired', holdIds: due }] : []);
    }
    default:
      return unreachable(command);
  }
}

export function evolveAccount(account: Account, event: AccountEvent): Account {
  switch (event.type) {
    case 'deposited':
    case 'credited':
      return { ...account, balance: account.balance + event.amount };
    case 'withdrawn':
    case 'transfer-sent':
      return { ...account, balance: account.balance - event.amount };
    case 'held':
      return { ...account, holds: { ...account.holds, [event.holdId]: { amount: event.amount, expiresAt: event.expiresAt } } };
    case 'holds-expired': {
      const holds = { ...account.holds };
      for (const holdId of event.holdIds) delete holds[holdId];
      return { ...account, holds };
    }
    default:
      return unreachable(event);
  }
}

export interface AccountsOptions {
  /** How often an owner looks for expired holds; off when left out. */
  holdSweepMs?: number;
}

export function accountsDomain(options: AccountsOptions = {}): AggregateDomain<Account, AccountCommand, AccountEvent, AccountReply> {
  return {
    service: 'accounts',
    schemaVersion: 1,
    initial: initialAccount,
    parseCommand: parseWith(accountCommandSchema),
    decide: decideAccount,
    evolve: evolveAccount,
    timer: options.holdSweepMs
      ? {
          intervalMs: options.holdSweepMs,
          commands: (accounts, now) =>
            [...accounts]
              .filter(([, account]) => Object.values(account.holds).some((hold) => hold.expiresAt <= now))
              .map(([id, account]) => {
                // The first due hold (by id) and its expiry name the sweep, so every owner issues the same id
                // for it, and a hold id reused after an earlier sweep gets a new one rather than that sweep's outcome.
                const first = Object.keys(account.holds)
                  .filter((h) => account.holds[h].expiresAt <= now)
                  .sort()[0];
                return { aggregateId: id, commandId: `expire:${id}:${first}@${account.holds[first].expiresAt}`, command: { type: 'expire-holds' } };
              }),
        }
      : undefined,
  };
}
