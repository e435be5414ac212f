/**
 * Every error the engine itself means, in one place: each says what went wrong (`kind`) and whether doing the same
 * thing again can succeed (`retriable`), so a caller decides by those rather than by which class it caught. Errors
 * of adapters, drivers and domains pass through as they are; they are no `EngineError`.
 */
export type EngineErrorKind =
  /** The log and a fold of it disagree: every replay of the same log disagrees the same way. */
  | 'diverged'
  /** A newer owner claimed the partition: this owner's writes no longer count. */
  | 'fenced'
  /** The log does not confirm a stored snapshot: it is set aside for an older one, or for the log itself. */
  | 'snapshot-refuted'
  /** A rebuild on demand would read more than its limits allow. */
  | 'out-of-reach'
  /** A store gave no answer in time; it may answer the next call. */
  | 'timeout';

export class EngineError extends Error {
  constructor(
    message: string,
    readonly kind: EngineErrorKind,
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The engine's kind of `error`, or undefined for any other error. */
export function engineErrorKind(error: unknown): EngineErrorKind | undefined {
  return error instanceof EngineError ? error.kind : undefined;
}

/**
 * Thrown by a domain's `evolve` when applying a logged event gives a different result than the one the event
 * recorded (a zone tick whose re-simulation does not reproduce the hash in the log), and by the engine when a log
 * cannot be replayed whole in place of a snapshot that disagreed with it. Replaying further would serve a world that
 * never was, so the engine stops the partition instead of recovering it again.
 */
export class DivergedError extends EngineError {
  constructor(message: string) {
    super(message, 'diverged', false);
  }
}

/**
 * The engine's own finding of a divergence: the state folded on replay does not hash to what a checkpoint in the
 * log says. Handled as any `DivergedError`; a class of its own because it carries where and by how much (the
 * offset and both hashes), which a domain's `DivergedError` cannot know.
 */
export class DesyncError extends DivergedError {
  constructor(
    readonly offset: number,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`state hash mismatch at events offset ${offset}: log says ${expected}, replay computed ${actual}`);
  }
}

/**
 * Thrown when a newer owner has claimed the partition: this one must stop, and its writes cannot be retried.
 * Adapters never throw it: fencing lives in the log (claim records), so the engine decides.
 */
export class WriterFencedError extends EngineError {
  constructor(message: string) {
    super(message, 'fenced', false);
  }
}

/** Thrown when the log's record at a snapshot's offset does not confirm the snapshot: it is set aside for an older one. */
export class SnapshotRefutedError extends EngineError {
  constructor(
    readonly lastOffset: number,
    reason: string,
  ) {
    super(`the log refutes it: ${reason}`, 'snapshot-refuted', false);
  }
}

/** A point the limits do not reach; `oldest` is the aggregate in the oldest usable snapshot, when one was seen. */
export class HistoryOutOfReachError extends EngineError {
  constructor(
    message: string,
    readonly oldest?: unknown,
  ) {
    super(message, 'out-of-reach', false);
  }
}

/** Thrown when a store gives no answer within its time limit (one that hangs must not hang the partition). */
export class TimeoutError extends EngineError {
  constructor(what: string, ms: number) {
    super(`${what} gave no answer within ${ms} ms`, 'timeout', true);
  }
}
