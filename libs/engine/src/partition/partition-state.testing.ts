import { Account, accountsDomain } from '@app/engine/testing';
import { decideBatch } from './decide-batch';
import { DedupeSetting, PartitionImage, PartitionState } from './partition-state';
import { CommandEnvelope, LogRecord, OutboxCommand, ReceivedEnvelope } from './records';

// A partition of the accounts test aggregate, decided live and replayed, shared by PartitionState's specs.

export const domain = accountsDomain();
export type OutcomeRecord = Extract<LogRecord, { type: 'outcome' }>;

export const envelope = (commandId: string, aggregateId: string, command: unknown, issuedAt = 1000): CommandEnvelope => ({
  commandId,
  aggregateId,
  issuedAt,
  command,
  replyTo: { topic: 'replies', partition: 0 },
});

/** Batches as an owner might see them: duplicates within and across batches, rejections, invalid payloads, transfers, holds. */
export const batches: CommandEnvelope[][] = [
  [
    envelope('d1', 'alice', { type: 'deposit', amount: 100 }),
    envelope('d2', 'bob', { type: 'deposit', amount: 20 }),
    envelope('d1', 'alice', { type: 'deposit', amount: 100 }),
    envelope('w1', 'bob', { type: 'withdraw', amount: 50 }),
    envelope('x1', 'carol', { type: 'deposit', amount: -1 }),
    envelope('x2', 'carol', { type: 'launder' }),
    envelope('x3', 'carol', 'not an object'),
  ],
  [
    envelope('h1', 'alice', { type: 'hold', holdId: 'rent', amount: 60, ttlMs: 500 }, 2000),
    envelope('w2', 'alice', { type: 'withdraw', amount: 50 }, 2000),
    envelope('t1', 'alice', { type: 'transfer', to: 'bob', amount: 30 }, 2000),
    envelope('t2', 'alice', { type: 'transfer', to: 'alice', amount: 1 }, 2000),
    envelope('w1', 'bob', { type: 'withdraw', amount: 1 }, 2000),
    envelope('h2', 'alice', { type: 'hold', holdId: 'rent', amount: 1, ttlMs: 500 }, 2000),
  ],
  [
    envelope('t1:credit', 'bob', { type: 'credit', from: 'alice', transferId: 't1', amount: 30 }, 3000),
    envelope('e1', 'alice', { type: 'expire-holds' }, 3000),
    envelope('w3', 'alice', { type: 'withdraw', amount: 70 }, 3000),
    envelope('x1', 'carol', { type: 'deposit', amount: 5 }, 3000),
    envelope('d3', 'dave', { type: 'deposit', amount: 1 }, 3000),
  ],
];

export function replay(log: LogRecord[], dedupeCapacity: DedupeSetting, from?: PartitionImage<Account>) {
  const state = new PartitionState(domain, dedupeCapacity, from);
  log.forEach((record, offset) => {
    if (offset > state.lastOffset) state.apply(record, offset);
  });
  return state;
}

/**
 * An owner of a log held as an array (offset = index), as the runner is one: it appends its claim, recovers by
 * replaying everything up to it, then decides batches live and folds each record in once its offset is known.
 * It keeps appending after a newer owner's claim until told otherwise, as a zombie would.
 */
export function claim(log: LogRecord[], owner: string, dedupeCapacity: DedupeSetting = 100) {
  log.push({ type: 'claim', owner });
  const state = replay(log, dedupeCapacity);
  const append = (record: LogRecord) => {
    log.push(record);
    state.written(record, log.length - 1);
  };
  return {
    state,
    decide: (batch: ReceivedEnvelope[]) => decideBatch(domain, state, batch).records.forEach(({ record }) => append(record)),
    checkpoint: () => append({ type: 'checkpoint', claim: state.claim, stateHash: state.hash() }),
    outboxSent: (through: number) => append({ type: 'outbox-sent', claim: state.claim, through }),
  };
}

/** Runs the batches as one owner would, appending each batch's records and then a checkpoint to the log. */
export function runLive(dedupeCapacity: DedupeSetting) {
  const log: LogRecord[] = [];
  const owner = claim(log, 'A', dedupeCapacity);
  for (const batch of batches) {
    owner.decide(batch);
    owner.checkpoint();
  }
  return { live: owner.state, log };
}

export const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
export const ok = { ok: true as const, reply: null };
export const deposited = (commandId: string, aggregateId: string, amount: number, claim: number, extra: Partial<OutcomeRecord> = {}): OutcomeRecord => ({
  type: 'outcome',
  claim,
  commandId,
  aggregateId,
  events: [{ type: 'deposited', amount }],
  outcome: ok,
  ...extra,
});
export const credit = (to: string, transferId: string, amount: number): OutboxCommand => ({
  aggregateId: to,
  commandId: `${transferId}:credit`,
  issuedAt: 1000,
  command: { type: 'credit', from: 'alice', transferId, amount },
});
/** A state that has folded in one claim at `offset`. */
export const claimedAt = (offset: number, dedupeCapacity = 10) => {
  const state = new PartitionState(domain, dedupeCapacity);
  state.apply({ type: 'claim', owner: 'A' }, offset);
  return state;
};
/** Everything replay must reproduce, without the offset (a skipped record still moves it). */
export const withoutOffset = ({ lastOffset: _lastOffset, ...rest }: PartitionImage<Account>) => rest;
