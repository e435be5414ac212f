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

export type Decision<E, R> =
  | { kind: 'accepted'; events: E[]; reply: R; outbox: OutgoingCommand[] }
  | { kind: 'rejected'; rejection: Rejection };

export const accept = <E, R>(events: E[], reply: R, outbox: OutgoingCommand[] = []): Decision<E, R> => ({
  kind: 'accepted',
  events,
  reply,
  outbox,
});

export const reject = <E = never, R = never>(code: string, message: string = code): Decision<E, R> => ({
  kind: 'rejected',
  rejection: { code, message },
});

/** For the `default` branch of an exhaustive switch: a new command type fails to compile until handled. */
export function unreachable(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
