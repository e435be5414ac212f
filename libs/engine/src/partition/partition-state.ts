import { AggregateDomain } from '../domain/aggregate-domain';
import { DesyncError } from '../errors/engine-errors';
import { canonicalJson, sha256 } from './canonical-json';
import { MultisetDigest } from './multiset-digest';
import {
  DEFAULT_RETRY_HORIZON_MS,
  DedupeLimits,
  packOutcome,
  ReadonlyRecentOutcomes,
  RecentOutcomes,
  RecentOutcomesImage,
  unpackRecentOutcomes,
} from './recent-outcomes';
import { LogRecord, Origin, Outcome, OutboxCommand } from './records';
import { currentEvents } from './upcast-events';
import { countsUnderClaim } from './claim-rule';

/**
 * Bumped whenever the shape of an image changes: a snapshot of another format is refused (and the log replayed)
 * rather than misread. 2: dedupe memory per requester with its clock, packed (see `packOutcome`), instead of one window of outcomes.
 */
export const IMAGE_FORMAT = 2;

type OutcomeRecord = Extract<LogRecord, { type: 'outcome' }>;

/** What bounds the dedupe memory; a bare number is the count per requester, with the default horizon. */
export type DedupeSetting = DedupeLimits | number;
const limitsOf = (setting: DedupeSetting): DedupeLimits =>
  typeof setting === 'number' ? { perRequester: setting, horizonMs: DEFAULT_RETRY_HORIZON_MS } : setting;

/** The serialisable form of a partition's memory, as snapshots store it. */
export interface PartitionImage<S> {
  /** Offset of the last events-topic record folded in; -1 before the first. */
  lastOffset: number;
  /** Offset of the last commands-topic record whose outcome is in the log; -1 before the first. */
  consumedOffset: number;
  /** Offset of the latest claim folded in: records count only when written under it. -1 before the first. */
  claim: number;
  aggregates: [string, S][];
  dedupe: RecentOutcomesImage;
  /** Per source partition, the newest outbox command applied here: [source, offset, index]. */
  origins: [string, number, number][];
  /** Outboxes of records after the last `outbox-sent`, oldest first: a new owner sends them again. */
  unsent: UnsentOutbox[];
}

export interface UnsentOutbox {
  offset: number;
  outbox: OutboxCommand[];
}

/**
 * The JSON text of an image, one piece per entry, so a large partition can be written out in slices.
 * An image holds the state values themselves, which `evolve` never changes: it stays what it was when taken.
 */
export function* imageText<S>(image: PartitionImage<S>): Generator<string> {
  const { aggregates } = image;
  yield '{"aggregates":[';
  for (let index = 0; index < aggregates.length; index++) yield (index > 0 ? ',' : '') + canonicalJson(aggregates[index]);
  const { clock, forgotten, outcomes } = image.dedupe;
  yield `],"claim":${image.claim},"consumedOffset":${image.consumedOffset},"dedupe":{"clock":${canonicalJson(clock)},"forgotten":${canonicalJson(forgotten)},"outcomes":[`;
  for (let index = 0; index < outcomes.length; index++) yield (index > 0 ? ',' : '') + canonicalJson(packOutcome(outcomes[index], clock));
  yield `]},"format":${IMAGE_FORMAT},"origins":${canonicalJson(image.origins)},"unsent":${canonicalJson(image.unsent)}}`;
}

/**
 * The hot copy of one partition: every aggregate it holds, the recent outcomes, the newest origin applied per
 * sending partition, and the outboxes not yet known to be sent. Changes only through `fold` (what a record does)
 * and `written` (what its offset does), live and on replay alike, so both reach the same state; on replay `apply`
 * does both and skips records not written under the latest claim.
 */
export class PartitionState<S> {
  private readonly aggregates = new Map<string, S>();
  private readonly aggregatesDigest = new MultisetDigest((aggregateId) => {
    const state = this.aggregates.get(aggregateId);
    return state === undefined ? undefined : canonicalJson([aggregateId, state]);
  });
  private readonly outcomes: RecentOutcomes;
  private readonly origins = new Map<string, [number, number]>();
  private unsentOutboxes: UnsentOutbox[] = [];
  private offset: number;
  private consumed: number;
  private claimOffset: number;
  /**
   * Commands from the feed answered without a record since the last record (see `decideBatch`). Bookkeeping of
   * the live owner only: not in the image or the hash, and zero after a recovery.
   */
  private unloggedNoops = 0;

  constructor(
    private readonly domain: AggregateDomain<S, unknown, unknown, unknown>,
    dedupe: DedupeSetting,
    image?: PartitionImage<S>,
  ) {
    this.outcomes = new RecentOutcomes(limitsOf(dedupe), image?.dedupe);
    for (const [aggregateId, state] of image?.aggregates ?? []) {
      this.aggregates.set(aggregateId, state);
      this.aggregatesDigest.touch(aggregateId);
    }
    for (const [source, offset, index] of image?.origins ?? []) this.origins.set(source, [offset, index]);
    this.unsentOutboxes = [...(image?.unsent ?? [])];
    this.offset = image?.lastOffset ?? -1;
    this.consumed = image?.consumedOffset ?? -1;
    this.claimOffset = image?.claim ?? -1;
  }

  /** Offset of the last events-topic record folded in; -1 before the first. */
  get lastOffset(): number {
    return this.offset;
  }

  /** Where command consumption resumes after recovery: the position is part of the log, not of a consumer group. */
  get consumedOffset(): number {
    return this.consumed;
  }

  /** Offset of the latest claim folded in; -1 before the first. */
  get claim(): number {
    return this.claimOffset;
  }

  /** The outcomes a retry is answered with; they change only as records are folded in. */
  get dedupe(): ReadonlyRecentOutcomes {
    return this.outcomes;
  }

  aggregate(aggregateId: string): S {
    return this.aggregates.get(aggregateId) ?? this.domain.initial(aggregateId);
  }

  /** Every aggregate's state that differs from its initial one, read-only. */
  get aggregateStates(): ReadonlyMap<string, S> {
    return this.aggregates;
  }

  get unsent(): readonly UnsentOutbox[] {
    return this.unsentOutboxes;
  }

  /**
   * Folds one record read from the log in, with its offset; false when it does not count (written under an earlier
   * claim). A checkpoint is compared with this state's hash unless `verify` is false (replay checks only some); a
   * mismatch is a desync.
   */
  apply(record: LogRecord, offset: number, verify = true): boolean {
    if (!countsUnderClaim(record, this.claimOffset)) {
      this.offset = offset;
      return false;
    }
    if (record.type === 'checkpoint' && verify) this.verify(record.stateHash, offset);
    this.fold(record);
    this.written(record, offset);
    return true;
  }

  /**
   * What a counted record does before its offset is known, live (as soon as `decideBatch` decided it) and on replay
   * (through `apply`) alike: an outcome's events change its aggregate, its outcome is remembered (see `remember`),
   * its command's offset is consumed and its origin applied. `evolved` is the aggregate after the record's events
   * when the caller has it already (live: see `evolve`); it must be what evolving them gives.
   */
  fold(record: LogRecord, evolved?: S): void {
    if (record.type !== 'outcome') return;
    const { aggregateId, commandOffset, origin } = record;
    // Events of an older version (an old log) reach `evolve` in the current one.
    const events = currentEvents(this.domain, record);
    if (events.length > 0) {
      this.aggregates.set(aggregateId, evolved ?? this.evolve(aggregateId, events));
      this.aggregatesDigest.touch(aggregateId);
    }
    this.remember(record);
    if (commandOffset !== undefined) this.consumed = Math.max(this.consumed, commandOffset);
    if (origin) this.origins.set(origin.source, [origin.offset, origin.index]);
    this.unloggedNoops = 0;
  }

  /**
   * What a record does once its offset is known. Live, `fold` has already done the rest when the command was
   * decided; replay does both through `apply`.
   */
  written(record: LogRecord, offset: number): void {
    if (record.type === 'claim') this.claimOffset = offset;
    if (record.type === 'outcome' && record.outbox?.length) this.unsentOutboxes.push({ offset, outbox: record.outbox });
    if (record.type === 'outbox-sent') this.unsentOutboxes = this.unsentOutboxes.filter((entry) => entry.offset > record.through);
    this.offset = offset;
  }

  /**
   * One aggregate after `events`, without keeping it. Live, a decision's events are evolved before anything is
   * logged, so an `evolve` that throws refuses the command and leaves this state as it was.
   */
  evolve(aggregateId: string, events: readonly unknown[]): S {
    return events.reduce<S>((state, event) => this.domain.evolve(state, event), this.aggregate(aggregateId));
  }

  /** One more command from the feed answered without a record; how many since the last record folded in. */
  countUnloggedNoop(): number {
    return ++this.unloggedNoops;
  }

  /** True when no command from this origin's source at or after it has been applied. */
  isNewOrigin({ source, offset, index }: Origin): boolean {
    const newest = this.origins.get(source);
    return !newest || offset > newest[0] || (offset === newest[0] && index > newest[1]);
  }

  verify(expectedHash: string, offset: number): void {
    const actual = this.hash();
    if (actual !== expectedHash) throw new DesyncError(offset, expectedHash, actual);
  }

  /**
   * What a logged outcome does to the dedupe memory: its command's time moves the clock, and its outcome is
   * remembered under its requester unless marked `forget`. A success keeps no reply when the domain answers retries
   * from the aggregate (`retryReply`): that reply is most of what memory would hold.
   */
  private remember(record: OutcomeRecord): void {
    if (typeof record.issuedAt === 'number') this.outcomes.advance(record.issuedAt);
    if (record.forget) return;
    const outcome: Outcome = record.outcome.ok && this.domain.retryReply ? { ok: true, reply: null } : record.outcome;
    this.outcomes.remember(record.commandId, outcome, record.requester ?? record.aggregateId);
  }

  image(): PartitionImage<S> {
    return {
      lastOffset: this.offset,
      consumedOffset: this.consumed,
      claim: this.claimOffset,
      aggregates: [...this.aggregates],
      dedupe: this.outcomes.image(),
      origins: [...this.origins].map(([source, [offset, index]]) => [source, offset, index]),
      unsent: [...this.unsentOutboxes],
    };
  }

  /** Text of everything replay must reproduce (not the offset: snapshots carry their own), for snapshots. */
  serialize(): string {
    return [...imageText(this.image())].join('');
  }

  /**
   * What checkpoints and fingerprints compare: what decides future outcomes (aggregates, recent outcomes as a set,
   * origins, position), kept up to date incrementally, so its cost follows what changed since the last call
   * rather than the partition's size. Claim and unsent outboxes are bookkeeping of the log, which it does not hash.
   */
  hash(): string {
    const origins = canonicalJson([...this.origins].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return sha256(`${this.aggregatesDigest.value()}:${this.outcomes.contentDigest()}:${this.consumed}:${origins}`);
  }

  /** Rebuilds a partition from `serialize()` text; throws on anything that is not such text, or of another format. */
  static deserialize<S>(domain: AggregateDomain<S, unknown, unknown, unknown>, dedupe: DedupeSetting, text: string, lastOffset: number): PartitionState<S> {
    const parsed: unknown = JSON.parse(text);
    const image = (parsed ?? {}) as Partial<PartitionImage<S>> & { format?: unknown };
    if (image.format !== IMAGE_FORMAT) {
      throw new Error(`not a partition image of format ${IMAGE_FORMAT} (it says ${JSON.stringify(image.format ?? null)}): taken by another version`);
    }
    const { aggregates, consumedOffset, claim, origins, unsent } = image;
    const dedupeImage = unpackRecentOutcomes(image.dedupe);
    if (
      !Array.isArray(aggregates) ||
      !Array.isArray(origins) ||
      !origins.every((origin) => Array.isArray(origin) && origin.length === 3) ||
      !Array.isArray(unsent) ||
      !Number.isInteger(consumedOffset) ||
      !Number.isInteger(claim)
    ) {
      throw new Error('not a partition image');
    }
    return new PartitionState(domain, dedupe, { lastOffset, consumedOffset: consumedOffset!, claim: claim!, aggregates, dedupe: dedupeImage, origins, unsent });
  }
}
