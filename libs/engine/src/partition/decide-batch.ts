import { acceptedReply, AggregateDomain, eventsVersionOf } from '../domain/aggregate-domain';
import { OutgoingCommand } from '../domain/decision';
import { PartitionState } from './partition-state';
import { CommandEnvelope, Outcome, ReceivedEnvelope, RECORD_VERSION, WrittenLogRecord, WrittenOutcomeRecord } from './records';

/**
 * A reply to send: the outcome of one command, to the reply topic and partition that command named (`to`), or to the
 * connection it came on (`answer`, for a command sent straight to its owner).
 */
export type AddressedReply = TopicReply | DirectReply;
export type TopicReply = { commandId: string; outcome: Outcome; to: { topic: string; partition: number } };
export type DirectReply = { commandId: string; outcome: Outcome; answer: (outcome: Outcome) => void };

/** A command whose `parseCommand`, `decide`, `evolve`, `reply` or `retryReply` threw: answered `internal_error`. */
export interface DecideFailure {
  commandId: string;
  aggregateId: string;
  error: unknown;
}

/** What one batch appends (its outboxes inside its records), the replies to send once that counts, and what threw. */
export interface BatchWrites {
  records: { key: string; record: WrittenLogRecord }[];
  replies: AddressedReply[];
  /** For the caller to log at error level; each is already refused in `records` and `replies`. */
  failures: DecideFailure[];
}

export const INVALID_PAYLOAD = 'invalid_payload';
/** A retry of a command the partition no longer remembers, first sent before what it forgot: it may have been applied. */
export const RETRY_EXPIRED = 'retry_expired';
/** The service failed deciding the command (a bug, not the command's fault); nothing changed. */
export const INTERNAL_ERROR = 'internal_error';
/** Commands from the feed that change nothing, between two that are logged to move the consumed position. */
export const POSITION_EVERY_NOOPS = 1_000;

interface Decided<S> {
  outcome: Outcome;
  events: unknown[];
  outbox: OutgoingCommand[];
  remember: boolean;
  /** The aggregate after `events`, evolved before anything is logged; absent when refused. */
  evolved?: S;
}

/**
 * Decides each command of a batch in order against `state`, folding the outcome in at once so the
 * next command sees it. A commandId already remembered gets its first outcome and changes nothing; a
 * retry of one forgotten is refused `retry_expired`; an outbox command from an origin already applied is
 * dropped; an accepted command that changes nothing is answered and not logged; a command the domain throws
 * on is refused `internal_error` (logged, so it is never read again). Records are written under the state's
 * claim. On a failed commit the caller must throw `state` away and recover.
 */
export function decideBatch<S, C, E, R>(domain: AggregateDomain<S, C, E, R>, state: PartitionState<S>, commands: ReceivedEnvelope[]): BatchWrites {
  const writes: BatchWrites = { records: [], replies: [], failures: [] };
  for (const envelope of commands) {
    const { commandId, aggregateId, origin } = envelope;
    if (origin && !state.isNewOrigin(origin)) continue;
    const remembered = state.dedupe.outcomeOf(commandId);
    if (remembered) {
      addressReply(envelope, retryOutcome(domain, state, envelope, remembered, writes.failures), writes);
      continue;
    }
    const decided = decideOne(domain, state, envelope, writes.failures);
    let outcome = decided.outcome;
    // A command that changes nothing (a read, a repeat the domain recognises) leaves nothing in the log: asked
    // again, it is decided again, with the same effect (none). Its reply can be large (a whole zone); logging
    // it would keep it forever. What changes state, sends commands, carries an origin or is refused is kept.
    const noop = outcome.ok && decided.events.length === 0 && decided.outbox.length === 0 && !origin;
    if (noop && (envelope.offset === undefined || state.countUnloggedNoop() < POSITION_EVERY_NOOPS)) {
      addressReply(envelope, outcome, writes);
      continue;
    }
    addressReply(envelope, outcome, writes);
    // Now and then one is logged after all, without its reply and kept out of the recent outcomes: only to move the
    // consumed position, so a recovery does not decide a long run of reads again.
    if (noop) {
      outcome = { ok: true, reply: null };
      decided.remember = false;
    }
    const record: WrittenOutcomeRecord = {
      v: RECORD_VERSION,
      type: 'outcome',
      claim: state.claim,
      commandId,
      aggregateId,
      events: decided.events,
      eventsVersion: eventsVersionOf(domain),
      outcome,
      issuedAt: envelope.issuedAt,
    };
    if (envelope.requester !== undefined && envelope.requester !== aggregateId) record.requester = envelope.requester;
    // Only what the log records moves the position, so replay reaches the same one.
    if (envelope.offset !== undefined) record.commandOffset = envelope.offset;
    if (origin) record.origin = origin;
    // Stamped with the time of the command that caused them.
    if (decided.outbox.length > 0) record.outbox = decided.outbox.map((outgoing) => ({ ...outgoing, issuedAt: envelope.issuedAt }));
    if (!decided.remember) record.forget = true;
    writes.records.push({ key: aggregateId, record });
    state.fold(record, decided.evolved);
  }
  return writes;
}

/** Addresses the outcome to whoever waits for it: the reply topic the command named, or the connection it came on. */
function addressReply({ commandId, replyTo, answer }: ReceivedEnvelope, outcome: Outcome, writes: BatchWrites): void {
  if (answer) writes.replies.push({ answer, commandId, outcome });
  else if (replyTo) writes.replies.push({ to: replyTo, commandId, outcome });
}

/**
 * Decides one command and evolves its aggregate, without changing `state` (the caller folds the record). Whatever the
 * domain throws (parsing, deciding, evolving, replying) refuses the command: thrown again on every recovery, it would
 * stop the partition.
 */
function decideOne<S, C, E, R>(
  domain: AggregateDomain<S, C, E, R>,
  state: PartitionState<S>,
  envelope: CommandEnvelope,
  failures: DecideFailure[],
): Decided<S> {
  const { commandId, aggregateId, firstIssuedAt } = envelope;
  if (firstIssuedAt !== undefined && state.dedupe.expired(envelope.requester ?? aggregateId, firstIssuedAt)) {
    const horizon = state.dedupe.limits.horizonMs;
    return refused(
      RETRY_EXPIRED,
      `first sent too long ago (over ${horizon} ms) for its outcome to be known: it may have been applied, so it is not applied again`,
    );
  }
  try {
    const parsed = domain.parseCommand(envelope.command);
    if (!parsed.ok) return refused(INVALID_PAYLOAD, parsed.message);
    const remember = domain.remembers?.(parsed.command) ?? true;
    const decision = domain.decide(parsed.command, state.aggregate(aggregateId), { aggregateId, commandId, issuedAt: envelope.issuedAt });
    if (decision.kind === 'rejected') return { outcome: { ok: false, rejection: decision.rejection }, events: [], outbox: [], remember };
    // Evolved here, so an `evolve` (or `reply`) that throws is caught before anything is logged (state changes only in `fold`).
    const evolved = decision.evolved ?? state.evolve(aggregateId, decision.events);
    const reply = acceptedReply(domain, aggregateId, parsed.command, decision, evolved);
    return { outcome: { ok: true, reply }, events: decision.events as unknown[], outbox: decision.outbox, remember, evolved };
  } catch (error) {
    failures.push({ commandId, aggregateId, error });
    return refused(INTERNAL_ERROR, 'the service failed to decide this command; nothing changed');
  }
}

/** The first outcome again; a success without its reply (see `retryReply`) is answered from the aggregate now. */
function retryOutcome<S, C, E, R>(
  domain: AggregateDomain<S, C, E, R>,
  state: PartitionState<S>,
  { commandId, aggregateId }: CommandEnvelope,
  remembered: Outcome,
  failures: DecideFailure[],
): Outcome {
  if (!remembered.ok || !domain.retryReply) return remembered;
  try {
    return { ok: true, reply: domain.retryReply(aggregateId, state.aggregate(aggregateId)) };
  } catch (error) {
    failures.push({ commandId, aggregateId, error });
    return { ok: false, rejection: { code: INTERNAL_ERROR, message: 'the service failed to answer this retry; the command was applied once' } };
  }
}

const refused = <S>(code: string, message: string): Decided<S> => ({
  outcome: { ok: false, rejection: { code, message } },
  events: [],
  outbox: [],
  remember: true,
});
