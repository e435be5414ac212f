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
  service?: string;
  commandId: string;
  aggregateId: string;
  issuedAt: number;
  command: unknown;
}

/**
 * An envelope as the partition received it: from the commands topic, with its offset there, or sent straight to this
 * owner, with `answer` to call with its outcome once it counts (such a command has no offset and no `replyTo`).
 */
export type ReceivedEnvelope = CommandEnvelope & { offset?: number; answer?: (outcome: Outcome) => void };

/** What a command came to: its reply, or why it was refused. Kept for dedupe (compacted, see `retryReply`) and sent as the reply. */
export type Outcome = { ok: true; reply: unknown } | { ok: false; rejection: Rejection };

/** The reply record a requester reads, keyed by commandId. */
export interface ReplyRecord {
  commandId: string;
  outcome: Outcome;
}

/**
 * One record of `<service>.events`. Fencing lives in the log: an owner starts by appending a `claim`, and
 * every other record carries the offset of its writer's claim. A record counts only when that is the latest
 * claim before it, so nothing a superseded owner appends after a newer claim ever counts.
 * - `outcome`: one command's outcome, with the events it produced (possibly none) and the commands it sends;
 * - `checkpoint`: the partition's state hash, which replay verifies, and a random `id` that no other log holds: a snapshot
 *   is taken on a checkpoint and keeps its text, so the log proves (or refutes) that the snapshot is of it;
 * - `outbox-sent`: every outbox command of records up to `through` is known to be sent.
 */
export type LogRecord =
  | { type: 'claim'; owner: string }
  | {
      type: 'outcome';
      claim: number;
      commandId: string;
      aggregateId: string;
      events: unknown[];
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
  | { type: 'checkpoint'; claim: number; stateHash: string; /** Absent in checkpoints written before snapshots were bound to their log. */ id?: string }
  | { type: 'outbox-sent'; claim: number; through: number };
