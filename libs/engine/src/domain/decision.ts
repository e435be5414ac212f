/** A command addressed to another aggregate, kept in the log record of the events that cause it and sent once that record counts. */
export interface OutgoingCommand<C = unknown> {
  /** Service whose commands topic receives it; the sender's own service when left out. */
  service?: string;
  aggregateId: string;
  /** Deterministic, so a retried cause produces the same id and the receiver's dedupe keeps it exactly once. */
  commandId: string;
  command: C;
}

export interface Rejection {
  code: string;
  message: string;
}

/**
 * What `decide` makes of a command: events, a reply and commands to send, or a refusal. `S` is the aggregate's
 * state, for decisions that carry the state after their events (see `acceptEvolved`).
 */
export type Decision<E, R, S = never> =
  | {
      kind: 'accepted';
      events: E[];
      /** Absent when the domain answers from the state after the events instead (its `reply`). */
      reply?: R;
      outbox: OutgoingCommand[];
      /** The state after `events`, when deciding computed it anyway (see `acceptEvolved`). */
      evolved?: S;
    }
  | { kind: 'rejected'; rejection: Rejection };

export const accept = <E, R>(events: E[], reply: R, outbox: OutgoingCommand[] = []): Decision<E, R> => ({
  kind: 'accepted',
  events,
  reply,
  outbox,
});

/** Accepted, leaving the reply to the domain's `reply`, which the engine asks with the state after the events. */
export const acceptEvents = <E>(events: E[], outbox: OutgoingCommand[] = []): Decision<E, never> => ({ kind: 'accepted', events, outbox });

/**
 * Accepted, with the state its events lead to, when deciding had to compute it (a zone's tick is simulated to
 * know the hash its event records): the live owner keeps it instead of evolving the events a second time. It must
 * be exactly what `evolve` gives, as replay evolves them: `deciderSpec` checks it, and a checkpoint would refute it.
 */
export const acceptEvolved = <E, R, S>(events: E[], reply: R, outbox: OutgoingCommand[], evolved: S): Decision<E, R, S> => ({
  kind: 'accepted',
  events,
  reply,
  outbox,
  evolved,
});

export const reject = <E = never, R = never>(code: string, message: string = code): Decision<E, R> => ({
  kind: 'rejected',
  rejection: { code, message },
});

/** For the `default` branch of an exhaustive switch: a new command type fails to compile until handled. */
export function unreachable(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
