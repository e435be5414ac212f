import { AggregateDomain } from '../domain/aggregate-domain';
import { PartitionState } from './partition-state';
import { CommandEnvelope, LogRecord, Outcome, ReceivedEnvelope } from './records';

export interface Reply {
  to: { topic: string; partition: number };
  commandId: string;
  outcome: Outcome;
}

/** What one batch appends (its outboxes inside its records), and the replies to send once that counts. */
export interface BatchWrites {
  records: { key: string; record: LogRecord }[];
  replies: Reply[];
}

export const INVALID_PAYLOAD = 'invalid_payload';
/** Commands from the feed that change nothing, between two that are logged to move the consumed position. */
export const POSITION_EVERY_NOOPS = 1_000;

/**
 * Decides each command of a batch in order against `state`, folding the outcome in at once so the
 * next command sees it. A commandId already in the dedupe window gets its first outcome and
 * changes nothing; an outbox command from an origin already applied is dropped; an accepted command
 * that changes nothing is answered and not logged. Records are written
 * under the state's claim. On a failed commit the caller must throw `state` away and recover.
 */
export function decideBatch<S, C, E, R>(
  domain: AggregateDomain<S, C, E, R>,
  state: PartitionState<S>,
  commands: ReceivedEnvelope[],
): BatchWrites {
  const writes: BatchWrites = { records: [], replies: [] };
  for (const envelope of commands) {
    const { commandId, aggregateId, replyTo, origin } = envelope;
    if (origin && !state.isNewOrigin(origin)) continue;
    let outcome = state.dedupe.outcomeOf(commandId);
    if (!outcome) {
      const decided = decideOne(domain, state, envelope);
      outcome = decided.outcome;
      // A command that changes nothing (a read, a repeat the domain recognises) leaves nothing in the log: asked
      // again, it is decided again, with the same effect (none). Its reply can be large (a whole zone); logging
      // it would keep it forever. What changes state, sends commands, carries an origin or is refused is kept.
      const noop = outcome.ok && decided.events.length === 0 && decided.outbox.length === 0 && !origin;
      if (noop && (envelope.offset === undefined || ++state.unloggedNoops < POSITION_EVERY_NOOPS)) {
        if (replyTo) writes.replies.push({ to: replyTo, commandId, outcome });
        continue;
      }
      // Now and then one is logged after all, without its reply and kept out of the dedupe window: only to move the
      // consumed position, so a recovery does not decide a long run of reads again.
      if (noop) {
        if (replyTo) writes.replies.push({ to: replyTo, commandId, outcome });
        outcome = { ok: true, reply: null };
        decided.remember = false;
      }
      state.unloggedNoops = 0;
      const record: LogRecord = { type: 'outcome', claim: state.claim, commandId, aggregateId, events: decided.events, outcome };
      // Only what the log records moves the position, so replay reaches the same one.
      if (envelope.offset !== undefined) {
        record.commandOffset = envelope.offset;
        state.consumedOffset = Math.max(state.consumedOffset, envelope.offset);
      }
      if (origin) {
        record.origin = origin;
        state.originApplied(origin);
      }
      // Stamped with the time of the command that caused them.
      if (decided.outbox.length > 0) record.outbox = decided.outbox.map((outgoing) => ({ ...outgoing, issuedAt: envelope.issuedAt }));
      if (!decided.remember) record.forget = true;
      writes.records.push({ key: aggregateId, record });
      state.fold(aggregateId, decided.events);
      if (decided.remember) state.dedupe.remember(commandId, outcome);
      if (noop) continue;
    }
    if (replyTo) writes.replies.push({ to: replyTo, commandId, outcome });
  }
  return writes;
}

function decideOne<S, C, E, R>(domain: AggregateDomain<S, C, E, R>, state: PartitionState<S>, envelope: CommandEnvelope) {
  const parsed = domain.parseCommand(envelope.command);
  if (!parsed.ok) {
    return { outcome: rejected(INVALID_PAYLOAD, parsed.message), events: [], outbox: [], remember: true };
  }
  const remember = domain.remembers?.(parsed.command) ?? true;
  const decision = domain.decide(parsed.command, state.aggregate(envelope.aggregateId), {
    aggregateId: envelope.aggregateId,
    commandId: envelope.commandId,
    issuedAt: envelope.issuedAt,
  });
  if (decision.kind === 'rejected') return { outcome: { ok: false, rejection: decision.rejection } as Outcome, events: [], outbox: [], remember };
  return { outcome: { ok: true, reply: decision.reply } as Outcome, events: decision.events as unknown[], outbox: decision.outbox, remember };
}

const rejected = (code: string, message: string): Outcome => ({ ok: false, rejection: { code, message } });
