import { Rejection } from '../domain/decision';

/** A command as it travels on `<service>.commands`, keyed by aggregateId. */
export interface CommandEnvelope {
  commandId: string;
  aggregateId: string;
  issuedAt: number;
  /** Where the outcome goes; commands sent by other partitions or timers need no reply. */
  replyTo?: { topic: string; partition: number };
  command: unknown;
}

/** An envelope as read from the commands topic, with its offset there. */
export type ReceivedEnvelope = CommandEnvelope & { offset?: number };

/** What a command came to: its reply, or why it was refused. Kept for dedupe and sent as the reply. */
export type Outcome = { ok: true; reply: unknown } | { ok: false; rejection: Rejection };

/** The reply record a requester reads, keyed by commandId. */
export interface ReplyRecord {
  commandId: string;
  outcome: Outcome;
}

/**
 * One record of `<service>.events`: either the outcome of one command (with the events it produced,
 * possibly none) or a checkpoint holding the partition's state hash, which replay verifies.
 */
export type LogRecord =
  | {
      type: 'outcome';
      commandId: string;
      aggregateId: string;
      events: unknown[];
      outcome: Outcome;
      /** Offset of the command in its commands partition (absent for commands a timer issued): the consumed position. */
      commandOffset?: number;
    }
  | { type: 'checkpoint'; stateHash: string };
