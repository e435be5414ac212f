import { accountsDomain } from '@app/engine/testing';
import { PartitionState } from './partition-state';
import { CommandEnvelope, LogRecord } from './records';

// Commands to the accounts test aggregate as decideBatch receives them, shared by its specs.

const domain = accountsDomain();
export const replyTo = { topic: 't1-accounts.replies', partition: 3 };

export const envelope = (commandId: string, aggregateId: string, command: unknown, extra: Partial<CommandEnvelope> = {}): CommandEnvelope => ({
  commandId,
  aggregateId,
  issuedAt: 1000,
  command,
  ...extra,
});
export const deposit = (commandId: string, aggregateId: string, amount: number, extra: Partial<CommandEnvelope> = {}) =>
  envelope(commandId, aggregateId, { type: 'deposit', amount }, extra);
export const withdraw = (commandId: string, aggregateId: string, amount: number, extra: Partial<CommandEnvelope> = {}) =>
  envelope(commandId, aggregateId, { type: 'withdraw', amount }, extra);
export const transfer = (commandId: string, to: string, amount: number, extra: Partial<CommandEnvelope> = {}) =>
  envelope(commandId, 'alice', { type: 'transfer', to, amount }, extra);
/** A credit as another partition's outbox sends it, from `source` at `offset`/`index` there. */
export const credited = (commandId: string, aggregateId: string, amount: number, [source, offset, index]: [string, number, number]) =>
  envelope(commandId, aggregateId, { type: 'credit', from: 'zed', transferId: commandId, amount }, { origin: { source, offset, index }, replyTo });
export const outboxOf = (record: LogRecord) => (record.type === 'outcome' ? record.outbox : undefined);
/** A state as an owner has it after recovery: its claim, at offset 4, folded in. */
export const claimed = (dedupeCapacity = 100) => {
  const state = new PartitionState(domain, dedupeCapacity);
  state.apply({ type: 'claim', owner: 'me' }, 4);
  return state;
};
