import { Rejection } from '../domain/decision';

/** A command as it travels on `<service>.commands`, keyed by aggregateId. */
export interface CommandEnvelope {
  commandId: string;
  aggregateId: string;
  issuedAt: number;
  /**
   * Who retries this command, when not the aggregate itself (a player in a zone): its recent outcomes are kept
   * together, so nobody else's traffic evicts them.
   */
  requester?: string;
  /**
   * When the command was first sent, if this is a retry: one the partition no longer remembers and whose first
   * sending is older than what it forgot is refused (`retry_expired`) rather than applied again. Absent: a first attempt.
   */
  firstIssuedAt?: number;
  /** Where the outcome goes; commands sent by other partitions or timers need no reply. */
  replyTo?: { topic: string; partition: number };
  /** Set on commands another partition's outbox sent: the receiver applies each origin once, in order. */
  origin?: Origin;
  command: unknown;
}

/**
 * Where an outbox command comes from: the sending partition (`<events topic>#<partition>`), the offset of
 * the record that caused it there and its index in that record's outbox. A sender sends its outbox in
 * log order and re-sends what it cannot prove sent, so a receiver keeps the newest origin per source and
 * drops anything not newer: exactly once however late a repeat comes.
 */
export interface Origin {
  source: string;
  offset: number;
  index: number;
}

/** A command for another aggregate, as an outcome record keeps it until it is known to be sent. */
export interface OutboxCommand {
  /** The service whose commands topic receives it; the sender's own when absent. */
  service?: string;
  commandId: string;
  aggregateId: string;
  issuedAt: number;
  /** A command of that service, as its commands topic carries them (a zone's loot: the inventory's `loot`). */
  command: unknown;
}

/**
 * An envelope as the partition received it: from the commands topic, with its offset there, or sent straight to this
 * owner, with `answer` to call with its outcome once it counts (such a command has no offset and no `replyTo`).
 */
export type ReceivedEnvelope = CommandEnvelope & { offset?: number; answer?: (outcome: Outcome) => void };

/** What a command came to: its reply (the service's own shape), or why it was refused. Kept for dedupe (compacted, see `retryReply`) and sent as the reply. */
export type Outcome = { ok: true; reply: unknown } | { ok: false; rejection: Rejection };

/** The reply record a requester reads, keyed by commandId. */
export interface ReplyRecord {
  commandId: string;
  outcome: Outcome;
}

/**
 * The format of the records this code writes, in their field `v`. A record without `v` is of format 0 (written before
 * formats were numbered); `parseLogRecord` brings every older record up to this one through `RECORD_UPCASTERS`, and
 * refuses a newer one. Bumped with one more upcaster whenever the shape of a record changes.
 */
export const RECORD_VERSION = 1;

/** Every record carries the format it was written in; optional here only because readers always see the current one. */
interface Versioned {
  /** The record's format (`RECORD_VERSION` when written); absent in records of format 0. */
  v?: number;
}

/** A new owner's first record: it fences every earlier one. `owner` names the process (its address or instance). */
export interface ClaimRecord extends Versioned {
  type: 'claim';
  owner: string;
}

/** One command's outcome, with the events it produced (possibly none) and the commands it sends. */
export interface OutcomeRecord extends Versioned {
  type: 'outcome';
  /** Offset of its writer's claim: the record counts only when that is the latest claim before it. */
  claim: number;
  commandId: string;
  aggregateId: string;
  /** The domain's events, in the version `eventsVersion` says. */
  events: unknown[];
  /** The version of the service's events these are in (its `eventUpcasters` count the changes); absent: version 1. */
  eventsVersion?: number;
  outcome: Outcome;
  /** The command's `issuedAt`: the log's own clock, by which remembered outcomes age (absent in older records). */
  issuedAt?: number;
  /** Whose outcomes it is kept with, when not the aggregate's. */
  requester?: string;
  /** Offset of the command in its commands partition (absent for commands a timer issued): the consumed position. */
  commandOffset?: number;
  origin?: Origin;
  outbox?: OutboxCommand[];
  /** Kept out of the recent outcomes (the domain's `remembers` said so), live and on replay alike. */
  forget?: true;
}

/**
 * The partition's state hash, which replay verifies, and a random `id` that no other log holds: a snapshot is taken on a
 * checkpoint and keeps its text, so the log proves (or refutes) that the snapshot is of it.
 */
export interface CheckpointRecord extends Versioned {
  type: 'checkpoint';
  /** Offset of its writer's claim: the record counts only when that is the latest claim before it. */
  claim: number;
  stateHash: string;
  /** Absent in checkpoints written before snapshots were bound to their log. */
  id?: string;
}

/** Every outbox command of records up to offset `through` is known to be sent. */
export interface OutboxSentRecord extends Versioned {
  type: 'outbox-sent';
  /** Offset of its writer's claim: the record counts only when that is the latest claim before it. */
  claim: number;
  through: number;
}

/**
 * One record of `<service>.events`. Fencing lives in the log: an owner starts by appending a `claim`, and
 * every other record carries the offset of its writer's claim. A record counts only when that is the latest
 * claim before it, so nothing a superseded owner appends after a newer claim ever counts.
 */
export type LogRecord = ClaimRecord | OutcomeRecord | CheckpointRecord | OutboxSentRecord;

/** The format, as every record this code writes carries it. */
interface CurrentFormat {
  /** The record's format: records of another one are read through upcasters (see docs/events.md). */
  v: typeof RECORD_VERSION;
}
type Written<R> = Omit<R, 'v'> & CurrentFormat;

// What this code writes: the published schemas (docs/schemas) are generated from these types.
/** A new owner's first record: it fences every earlier one. */
export type WrittenClaimRecord = Written<ClaimRecord>;
/** One command's outcome, with its events (in the version `eventsVersion` says) and the commands it sends. */
export type WrittenOutcomeRecord = Written<Omit<OutcomeRecord, 'eventsVersion'> & EventsVersion>;
/** The partition's state hash after every record before it, and a random id no other log holds. */
export type WrittenCheckpointRecord = Written<CheckpointRecord>;
/** Every outbox command of records up to offset `through` is known to be sent. */
export type WrittenOutboxSentRecord = Written<OutboxSentRecord>;
/** One record of `<prefix><service>.events`, as written now. */
export type WrittenLogRecord = WrittenClaimRecord | WrittenOutcomeRecord | WrittenCheckpointRecord | WrittenOutboxSentRecord;

interface EventsVersion {
  /** The version of its service's events that `events` are in (see the service's events schema). */
  eventsVersion: number;
}
