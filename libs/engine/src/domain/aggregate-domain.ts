import { Decision, OutgoingCommand } from './decision';

/** What the engine hands `decide` besides the command and state: never read a clock or a random source. */
export interface CommandContext {
  aggregateId: string;
  commandId: string;
  /** Milliseconds since the epoch, stamped by whoever issued the command. */
  issuedAt: number;
}

/** The result of checking untrusted input: a typed command or the reason it is not one. */
export type Parsed<C> = { ok: true; command: C } | { ok: false; message: string };

/**
 * What a service plugs into the engine: pure functions over one aggregate's state.
 * State values must be JSON-serialisable: they are snapshotted and hashed.
 */
export interface AggregateDomain<S, C, E, R> {
  /** Names the service: its topics are `<prefix><service>.commands` and `.events`. */
  service: string;
  /** Bumped whenever the shape of S changes, so older snapshots are skipped rather than misread. */
  schemaVersion: number;
  initial(aggregateId: string): S;
  parseCommand(payload: unknown): Parsed<C>;
  decide(command: C, state: S, context: CommandContext): Decision<E, R, S>;
  /** Returns a new state; never changes the one it is given (a snapshot being written out still holds it). */
  evolve(state: S, event: E): S;
  /**
   * The reply to an accepted command, from its aggregate after the command's events (an inventory answers with
   * the inventory as it now is). When present, the engine answers with this rather than the decision's own reply,
   * so `decide` need not evolve its events to build one.
   */
  reply?(aggregateId: string, state: S, command: C, events: readonly E[]): R;
  /**
   * What watchers of an aggregate see (clients, other services). When present, the engine publishes the view of
   * every aggregate a batch changed to `<service>.changes`, keyed by aggregateId, once the batch counts; `events`
   * are the batch's events of that aggregate, and undefined publishes nothing (changes watchers need not see).
   * A notification, not the truth: one can be lost with the owner that was about to send it; the next change or a
   * read brings watchers up to date.
   */
  view?(aggregateId: string, state: S, events: readonly E[]): unknown;
  /** Commands an owner issues to itself on a clock (ticks, timeouts); ids must be deterministic. */
  timer?: PartitionTimer<S>;
  /**
   * When a partition is due for a snapshot, in the domain's own terms (a zone: every N ticks) instead of every
   * `snapshotEveryRecords` records; the time limit (`snapshotEveryMs`) applies either way.
   */
  snapshotEvery?: { events: number; counts(event: E): boolean };
  /**
   * False for commands the domain makes idempotent itself (a tick that is not the next one, an input whose seq
   * is not newer): their outcomes stay out of the dedupe window, which then holds what retries need.
   */
  remembers?(command: C): boolean;
  /**
   * The reply to a retry of a command that succeeded, from the aggregate as it is now. When present, remembered
   * successes keep no reply (most of what a partition's memory of outcomes would otherwise hold): a retry is
   * answered with this, which includes the command's effect. Without it, a retry gets the very reply first sent.
   */
  retryReply?(aggregateId: string, state: S): R;
  /**
   * One pure function per change of the shape of E, oldest first: `eventUpcasters[n - 1]` turns an event of version n
   * into one of version n + 1. The events' version is their count + 1 (`eventsVersionOf`); every outcome record says
   * which version its events are in, and replay brings older ones up to the current version before `evolve` sees them,
   * so a change of E never needs the log rewritten. Absent: E never changed (version 1).
   */
  eventUpcasters?: readonly EventUpcaster[];
}

/** Turns one event of a version into the same event in the next version. */
export type EventUpcaster = (event: unknown) => unknown;

/** The version of a domain's events, as outcome records written now say. */
export const eventsVersionOf = (domain: Pick<AggregateDomain<unknown, unknown, unknown, unknown>, 'eventUpcasters'>): number =>
  (domain.eventUpcasters?.length ?? 0) + 1;

export interface PartitionTimer<S> {
  intervalMs: number;
  commands(aggregates: ReadonlyMap<string, S>, now: number): OutgoingCommand[];
}

/** What an accepted command is answered with: the domain's `reply` from the aggregate after it, or the decision's own. */
export function acceptedReply<S, C, E, R>(
  domain: AggregateDomain<S, C, E, R>,
  aggregateId: string,
  command: C,
  decision: Extract<Decision<E, R, S>, { kind: 'accepted' }>,
  after: S,
): R | undefined {
  return domain.reply ? domain.reply(aggregateId, after, command, decision.events) : decision.reply;
}
