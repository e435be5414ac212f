import { AggregateDomain } from '../domain/aggregate-domain';
import { canonicalJson, sha256 } from './canonical-json';
import { MultisetDigest } from './multiset-digest';
import { DEFAULT_RETRY_HORIZON_MS, DedupeLimits, packOutcome, RecentOutcomes, RecentOutcomesImage, unpackRecentOutcomes } from './recent-outcomes';
import { LogRecord, Origin, Outcome, OutboxCommand } from './records';

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

export class DesyncError extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`state hash mismatch at events offset ${offset}: log says ${expected}, replay computed ${actual}`);
    this.name = 'DesyncError';
  }
}

/**
 * The hot copy of one partition: every aggregate it holds, the recent outcomes, the newest origin applied per
 * sending partition, and the outboxes not yet known to be sent. Changes only by folding log records in,
 * live and on replay alike, so both reach the same state; records not written under the latest claim are skipped.
 */
export class PartitionState<S> {
  private readonly aggregates = new Map<string, S>();
  private readonly aggregatesDigest = new MultisetDigest((aggregateId) => {
    const state = this.aggregates.get(aggregateId);
    return state === undefined ? undefined : canonicalJson([aggregateId, state]);
  });
  readonly dedupe: RecentOutcomes;
  private readonly origins = new Map<string, [number, number]>();
  private unsentOutboxes: UnsentOutbox[] = [];
  lastOffset = -1;
  /** Where command consumption resumes after recovery: the position is part of the log, not of a consumer group. */
  consumedOffset = -1;
  /**
   * Commands from the feed answered without a record since the last record (see `decideBatch`). Bookkeeping of
   * the live owner only: not in the image or the hash, and zero after a recovery.
   */
  unloggedNoops = 0;
  claim = -1;

  constructor(
    private readonly domain: AggregateDomain<S, unknown, unknown, unknown>,
    dedupe: DedupeSetting,
    image?: PartitionImage<S>,
  ) {
    this.dedupe = new RecentOutcomes(limitsOf(dedupe), image?.dedupe);
    for (const [aggregateId, state] of image?.aggregates ?? []) {
      this.aggregates.set(aggregateId, state);
      this.aggregatesDigest.touch(aggregateId);
    }
    for (const [source, offset, index] of image?.origins ?? []) this.origins.set(source, [offset, index]);
    this.unsentOutboxes = [...(image?.unsent ?? [])];
    this.lastOffset = image?.lastOffset ?? -1;
    this.consumedOffset = image?.consumedOffset ?? -1;
    this.claim = image?.claim ?? -1;
  }

  aggregate(aggregateId: string): S {
    return this.aggregates.get(aggregateId) ?? this.domain.initial(aggregateId);
  }

  get aggregateView(): ReadonlyMap<string, S> {
    return this.aggregates;
  }

  get unsent(): readonly UnsentOutbox[] {
    return this.unsentOutboxes;
  }

  /**
   * Folds one record in; false when it does not count (written under an earlier claim). A checkpoint is
   * compared with this state's hash unless `verify` is false (replay checks only some); a mismatch is a desync.
   */
  apply(record: LogRecord, offset: number, verify = true): boolean {
    if (record.type !== 'claim' && (record.claim !== this.claim || this.claim < 0)) {
      this.lastOffset = offset;
      return false;
    }
    if (record.type === 'checkpoint' && verify) this.verify(record.stateHash, offset);
    if (record.type === 'outcome') {
      this.fold(record.aggregateId, record.events);
      this.remember(record);
      if (record.commandOffset !== undefined) this.consumedOffset = Math.max(this.consumedOffset, record.commandOffset);
      if (record.origin) this.originApplied(record.origin);
    }
    this.written(record, offset);
    return true;
  }

  /**
   * What a record does once its offset is known. Live, `decideBatch` has already done the rest when it
   * decided the command; replay does both through `apply`.
   */
  written(record: LogRecord, offset: number): void {
    if (record.type === 'claim') this.claim = offset;
    if (record.type === 'outcome' && record.outbox?.length) this.unsentOutboxes.push({ offset, outbox: record.outbox });
    if (record.type === 'outbox-sent') this.unsentOutboxes = this.unsentOutboxes.filter((entry) => entry.offset > record.through);
    this.lastOffset = offset;
  }

  /** True when no command from this origin's source at or after it has been applied. */
  isNewOrigin({ source, offset, index }: Origin): boolean {
    const newest = this.origins.get(source);
    return !newest || offset > newest[0] || (offset === newest[0] && index > newest[1]);
  }

  originApplied({ source, offset, index }: Origin): void {
    this.origins.set(source, [offset, index]);
  }

  verify(expectedHash: string, offset: number): void {
    const actual = this.hash();
    if (actual !== expectedHash) throw new DesyncError(offset, expectedHash, actual);
  }

  /**
   * What a logged outcome does to the dedupe memory, live and on replay alike: its command's time moves the clock,
   * and its outcome is remembered under its requester unless marked `forget`. A success keeps no reply when the
   * domain answers retries from the aggregate (`retryReply`): that reply is most of what memory would hold.
   */
  remember(record: OutcomeRecord): void {
    if (typeof record.issuedAt === 'number') this.dedupe.advance(record.issuedAt);
    if (record.forget) return;
    const outcome: Outcome = record.outcome.ok && this.domain.retryReply ? { ok: true, reply: null } : record.outcome;
    this.dedupe.remember(record.commandId, outcome, record.requester ?? record.aggregateId);
  }

  /** Applies events to one aggregate; used live, before the offset of their record is known. */
  fold(aggregateId: string, events: unknown[]): void {
    if (events.length === 0) return;
    this.aggregates.set(aggregateId, events.reduce<S>((state, event) => this.domain.evolve(state, event), this.aggregate(aggregateId)));
    this.aggregatesDigest.touch(aggregateId);
  }

  image(): PartitionImage<S> {
    return {
      lastOffset: this.lastOffset,
      consumedOffset: this.consumedOffset,
      claim: this.claim,
      aggregates: [...this.aggregates],
      dedupe: this.dedupe.image(),
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
    return sha256(`${this.aggregatesDigest.value()}:${this.dedupe.contentDigest()}:${this.consumedOffset}:${origins}`);
  }

  /** Rebuilds a partition from `serialize()` text; throws on anything that is not such text, or of another format. */
  static deserialize<S>(
    domain: AggregateDomain<S, unknown, unknown, unknown>,
    dedupe: DedupeSetting,
    text: string,
    lastOffset: number,
  ): PartitionState<S> {
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
