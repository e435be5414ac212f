import { canonicalJson } from './canonical-json';
import { Fifo } from './fifo';
import { MultisetDigest } from './multiset-digest';
import { Outcome } from './records';

/** How long, in the log's own time, an outcome is remembered: the SDK gives up retrying well before. */
export const DEFAULT_RETRY_HORIZON_MS = 5 * 60_000;
/** Most outcomes remembered per requester within the horizon; a player's rate limit keeps it far below. */
export const DEFAULT_OUTCOMES_PER_REQUESTER = 10_000;

export interface DedupeLimits {
  /** An outcome is forgotten once the partition has logged a command issued this much later. */
  horizonMs: number;
  /** Past this many outcomes of one requester, its oldest is forgotten. */
  perRequester: number;
}

/** One remembered outcome as an image holds it; `at` is the partition's clock when it was remembered. */
export type RememberedOutcome = [requester: string, commandId: string, at: number, outcome: Outcome];

/** The serialisable form of `RecentOutcomes`. */
export interface RecentOutcomesImage {
  /** The newest `issuedAt` of a logged command; null before the first. */
  clock: number | null;
  /** Per requester that lost outcomes to its count bound: the newest `at` forgotten so. */
  forgotten: [string, number][];
  /** Oldest first. */
  outcomes: RememberedOutcome[];
}

interface Entry {
  requester: string;
  commandId: string;
  at: number;
  outcome: Outcome;
  gone: boolean;
}

interface Requester {
  entries: Fifo<Entry>;
  forgottenThrough?: number;
}

/**
 * One remembered outcome as snapshot text holds it, about half the size of `RememberedOutcome`: the commandId without
 * its requester's `<requester>:` prefix (a trailing 0 marks an id kept whole), the age instead of the time (`clock - at`),
 * and the outcome packed: null for a success kept without its reply, [reply] for one with it, [code, message] for a refusal.
 */
export type PackedOutcome =
  [requester: string, id: string, age: number, outcome: null | [unknown] | [string, string]] | [string, string, number, null | [unknown] | [string, string], 0];

/** The text form of `RecentOutcomesImage`. */
export interface PackedRecentOutcomes {
  clock: number | null;
  forgotten: [string, number][];
  outcomes: PackedOutcome[];
}

export function packOutcome([requester, commandId, at, outcome]: RememberedOutcome, clock: number | null): PackedOutcome {
  const prefix = `${requester}:`;
  const packed = !outcome.ok ? [outcome.rejection.code, outcome.rejection.message] : outcome.reply === null ? null : [outcome.reply];
  const age = (clock ?? 0) - at;
  return commandId.startsWith(prefix)
    ? [requester, commandId.slice(prefix.length), age, packed as PackedOutcome[3]]
    : [requester, commandId, age, packed as PackedOutcome[3], 0];
}

/** Reads packed text back (see `packOutcome`); throws on anything else. */
export function unpackRecentOutcomes(value: unknown): RecentOutcomesImage {
  const image = value as Partial<PackedRecentOutcomes> | null;
  const wellFormed =
    typeof image === 'object' &&
    image !== null &&
    (image.clock === null || Number.isFinite(image.clock)) &&
    Array.isArray(image.forgotten) &&
    image.forgotten.every((mark) => Array.isArray(mark) && typeof mark[0] === 'string' && Number.isFinite(mark[1])) &&
    Array.isArray(image.outcomes);
  if (!wellFormed) throw new Error('not a partition image: malformed dedupe');
  const clock = image.clock ?? null;
  const outcomes = image.outcomes!.map((entry): RememberedOutcome => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string' || !Number.isFinite(entry[2]))
      throw new Error('not a partition image: malformed dedupe outcome');
    const [requester, id, age, packed, whole] = entry;
    const commandId = whole === 0 ? id : `${requester}:${id}`;
    const outcome: Outcome =
      packed === null
        ? { ok: true, reply: null }
        : packed.length === 1
          ? { ok: true, reply: packed[0] }
          : { ok: false, rejection: { code: String(packed[0]), message: String(packed[1]) } };
    return [requester, commandId, (clock ?? 0) - age, outcome];
  });
  return { clock, forgotten: image.forgotten!, outcomes };
}

/** What others may read of a partition's recent outcomes: they change only as its records are folded in. */
export type ReadonlyRecentOutcomes = Pick<RecentOutcomes, 'limits' | 'clock' | 'size' | 'outcomeOf' | 'expired' | 'contentDigest' | 'image'>;

/**
 * The outcomes of recent commands, kept per requester (the player, or whoever retries), so nobody else's traffic
 * evicts anyone's: a retry within the horizon finds its first outcome. Time is the log's own (the `issuedAt` of
 * logged commands), never a clock, so replay forgets exactly what the live owner forgot. Part of partition state:
 * hashed, snapshotted and rebuilt by replaying outcome records. What it forgot it still knows the age of, per
 * requester, so a retry of a forgotten command can be refused (`expired`) instead of applied a second time.
 */
export class RecentOutcomes {
  private readonly byId = new Map<string, Entry>();
  private readonly requesters = new Map<string, Requester>();
  /** Every entry in the order remembered, so in `at` order: the front is what the horizon forgets first. */
  private readonly queue = new Fifo<Entry>();
  private time?: number;
  private readonly outcomesDigest = new MultisetDigest((commandId) => {
    const entry = this.byId.get(commandId);
    return entry && canonicalJson([entry.requester, commandId, entry.at, entry.outcome]);
  });
  private readonly forgottenDigest = new MultisetDigest((requester) => {
    const through = this.requesters.get(requester)?.forgottenThrough;
    return through === undefined ? undefined : canonicalJson([requester, through]);
  });

  constructor(
    readonly limits: DedupeLimits,
    image?: RecentOutcomesImage,
  ) {
    const { horizonMs, perRequester } = limits;
    if (!Number.isInteger(perRequester) || perRequester < 1) throw new Error(`dedupe outcomes per requester must be a positive integer, got ${perRequester}`);
    if (!Number.isInteger(horizonMs) || horizonMs < 1) throw new Error(`retry horizon must be a positive integer of milliseconds, got ${horizonMs}`);
    if (!image) return;
    this.time = image.clock ?? undefined;
    for (const [requester, commandId, at, outcome] of image.outcomes) this.add({ requester, commandId, at, outcome, gone: false });
    for (const [requester, through] of image.forgotten) {
      const known = this.requesters.get(requester);
      if (known) known.forgottenThrough = through;
      this.forgottenDigest.touch(requester);
    }
  }

  /** The newest `issuedAt` folded in; undefined before the first. */
  get clock(): number | undefined {
    return this.time;
  }

  get size(): number {
    return this.byId.size;
  }

  outcomeOf(commandId: string): Outcome | undefined {
    return this.byId.get(commandId)?.outcome;
  }

  /**
   * Whether a command not remembered, first sent at `firstIssuedAt`, may be one whose outcome was forgotten: sent
   * before the horizon, or no later than the newest outcome its requester lost to the count bound.
   */
  expired(requester: string, firstIssuedAt: number): boolean {
    if (this.time !== undefined && firstIssuedAt < this.time - this.limits.horizonMs) return true;
    const through = this.requesters.get(requester)?.forgottenThrough;
    return through !== undefined && firstIssuedAt <= through;
  }

  /** Moves the clock to a logged command's `issuedAt` (never back) and forgets what fell behind the horizon. */
  advance(issuedAt: number): void {
    if (!Number.isFinite(issuedAt) || (this.time !== undefined && issuedAt <= this.time)) return;
    // Outcomes remembered before any command carried a time (a log written before times were logged) count from now.
    if (this.time === undefined) for (const entry of this.queue) this.restamp(entry, issuedAt);
    this.time = issuedAt;
    const oldest = issuedAt - this.limits.horizonMs;
    for (let front = this.queue.peek(); front && (front.gone || front.at < oldest); front = this.queue.peek()) {
      this.queue.shift();
      if (!front.gone) this.forget(front);
    }
  }

  /** Remembers a command's outcome under its requester, at the current clock; an id already remembered keeps its place. */
  remember(commandId: string, outcome: Outcome, requester: string): void {
    const known = this.byId.get(commandId);
    if (known) {
      known.outcome = outcome;
      this.outcomesDigest.touch(commandId);
      return;
    }
    const entries = this.add({ requester, commandId, at: this.time ?? 0, outcome, gone: false });
    if (entries.length <= this.limits.perRequester) return;
    const oldest = entries.peek()!;
    this.forget(oldest);
    const mark = this.requesters.get(requester)!;
    mark.forgottenThrough = Math.max(mark.forgottenThrough ?? oldest.at, oldest.at);
    this.forgottenDigest.touch(requester);
  }

  /** Digest of everything that decides future outcomes (the clock, what is remembered, what was forgotten), in any order. */
  contentDigest(): string {
    return `${this.time ?? ''}:${this.outcomesDigest.value()}:${this.forgottenDigest.value()}`;
  }

  image(): RecentOutcomesImage {
    const outcomes: RememberedOutcome[] = [];
    for (const entry of this.queue) if (!entry.gone) outcomes.push([entry.requester, entry.commandId, entry.at, entry.outcome]);
    const forgotten: [string, number][] = [];
    for (const [requester, { forgottenThrough }] of this.requesters) if (forgottenThrough !== undefined) forgotten.push([requester, forgottenThrough]);
    return { clock: this.time ?? null, forgotten, outcomes };
  }

  private add(entry: Entry): Fifo<Entry> {
    let requester = this.requesters.get(entry.requester);
    if (!requester) this.requesters.set(entry.requester, (requester = { entries: new Fifo<Entry>() }));
    requester.entries.push(entry);
    this.queue.push(entry);
    this.byId.set(entry.commandId, entry);
    this.outcomesDigest.touch(entry.commandId);
    return requester.entries;
  }

  /** Drops an entry; it is always the oldest of its requester, which goes once it has nothing left. */
  private forget(entry: Entry): void {
    entry.gone = true;
    if (this.byId.get(entry.commandId) === entry) this.byId.delete(entry.commandId);
    this.outcomesDigest.touch(entry.commandId);
    const requester = this.requesters.get(entry.requester);
    if (!requester) return;
    if (requester.entries.peek() === entry) requester.entries.shift();
    if (requester.entries.length === 0) {
      this.requesters.delete(entry.requester);
      this.forgottenDigest.touch(entry.requester);
    }
  }

  private restamp(entry: Entry, at: number): void {
    entry.at = at;
    this.outcomesDigest.touch(entry.commandId);
  }
}
