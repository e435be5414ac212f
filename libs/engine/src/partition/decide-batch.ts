import { AggregateDomain } from '../domain/aggregate-domain';
import { OutgoingCommand } from '../domain/decision';
import { PartitionState } from './partition-state';
import { CommandEnvelope, LogRecord, Outcome, ReceivedEnvelope } from './records';

export interface Reply {
  to: { topic: string; partition: number };
  commandId: string;
  outcome: Outcome;
}

/** Everything one batch must write in its single transaction. */
export interface BatchWrites {
  records: { key: string; record: LogRecord }[];
  replies: Reply[];
  /** Commands for other aggregates, stamped with the time of the command that caused them. */
  outbox: (OutgoingCommand & { issuedAt: number })[];
}

export const INVALID_PAYLOAD = 'invalid_payload';

/**
 * Decides each command of a batch in order against `state`, folding the outcome in at once so the
 * next command sees it. A commandId already in the dedupe window gets its first outcome and
 * changes nothing. On a failed commit the caller must throw `state` away and recover.
 */
export function decideBatch<S, C, E, R>(
  domain: AggregateDomain<S, C, E, R>,
  state: PartitionState<S>,
  commands: ReceivedEnvelope[],
): BatchWrites {
  const writes: BatchWrites = { records: [], replies: [], outbox: [] };
  for (const envelope of commands) {
    const { commandId, aggregateId, replyTo } = envelope;
    let outcome = state.dedupe.outcomeOf(commandId);
    if (!outcome) {
      const decided = decideOne(domain, state, envelope);
      outcome = decided.outcome;
      const record: LogRecord = { type: 'outcome', commandId, aggregateId, events: decided.events, outcome };
      // Only what the log records moves the position, so replay reaches the same one.
      if (envelope.offset !== undefined) {
        record.commandOffset = envelope.offset;
        state.consumedOffset = Math.max(state.consumedOffset, envelope.offset);
      }
      writes.records.push({ key: aggregateId, record });
      writes.outbox.push(...decided.outbox.map((outgoing) => ({ ...outgoing, issuedAt: envelope.issuedAt })));
      state.fold(aggregateId, decided.events);
      state.dedupe.remember(commandId, outcome);
    }
    if (replyTo) writes.replies.push({ to: replyTo, commandId, outcome });
  }
  return writes;
}

function decideOne<S, C, E, R>(domain: AggregateDomain<S, C, E, R>, state: PartitionState<S>, envelope: CommandEnvelope) {
  const parsed = domain.parseCommand(envelope.command);
  if (!parsed.ok) {
    return { outcome: rejected(INVALID_PAYLOAD, parsed.message), events: [], outbox: [] };
  }
  const decision = domain.decide(parsed.command, state.aggregate(envelope.aggregateId), {
    aggregateId: envelope.aggregateId,
    commandId: envelope.commandId,
    issuedAt: envelope.issuedAt,
  });
  if (decision.kind === 'rejected') return { outcome: { ok: false, rejection: decision.rejection } as Outcome, events: [], outbox: [] };
  return { outcome: { ok: true, reply: decision.reply } as Outcome, events: decision.events as unknown[], outbox: decision.outbox };
}

const rejected = (code: string, message: string): Outcome => ({ ok: false, rejection: { code, message } });
