import { AggregateDomain } from '../domain/aggregate-domain';
import { canonicalJson, sha256 } from './canonical-json';
import { DedupeWindow } from './dedupe-window';
import { MultisetDigest } from './multiset-digest';
import { LogRecord, Outcome } from './records';

/** The serialisable form of a partition's memory, as snapshots store it. */
export interface PartitionImage<S> {
  /** Offset of the last events-topic record folded in; -1 before the first. */
  lastOffset: number;
  /** Offset of the last commands-topic record whose outcome is in the log; -1 before the first. */
  consumedOffset: number;
  aggregates: [string, S][];
  dedupe: [string, Outcome][];
}

/**
 * The JSON text of an image, one piece per entry, so a large partition can be written out in slices.
 * An image holds the state values themselves, which `evolve` never changes: it stays what it was when taken.
 */
export function* imageText<S>(image: PartitionImage<S>): Generator<string> {
  const { aggregates } = image;
  yield '{"aggregates":[';
  for (let index = 0; index < aggregates.length; index++) yield (index > 0 ? ',' : '') + canonicalJson(aggregates[index]);
  yield `],"consumedOffset":${image.consumedOffset},"dedupe":[`;
  for (let index = 0; index < image.dedupe.length; index++) yield (index > 0 ? ',' : '') + canonicalJson(image.dedupe[index]);
  yield ']}';
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
 * The hot copy of one partition: every aggregate it holds, plus the dedupe window.
 * Changes only by folding log records in, live and on replay alike, so both reach the same state.
 */
export class PartitionState<S> {
  private readonly aggregates = new Map<string, S>();
  private readonly aggregatesDigest = new MultisetDigest((aggregateId) => {
    const state = this.aggregates.get(aggregateId);
    return state === undefined ? undefined : canonicalJson([aggregateId, state]);
  });
  readonly dedupe: DedupeWindow;
  lastOffset = -1;
  /** Where command consumption resumes after recovery: the position is part of the log, not of a consumer group. */
  consumedOffset = -1;

  constructor(
    private readonly domain: AggregateDomain<S, unknown, unknown, unknown>,
    dedupeCapacity: number,
    image?: PartitionImage<S>,
  ) {
    this.dedupe = new DedupeWindow(dedupeCapacity, image?.dedupe);
    for (const [aggregateId, state] of image?.aggregates ?? []) {
      this.aggregates.set(aggregateId, state);
      this.aggregatesDigest.touch(aggregateId);
    }
    this.lastOffset = image?.lastOffset ?? -1;
    this.consumedOffset = image?.consumedOffset ?? -1;
  }

  aggregate(aggregateId: string): S {
    return this.aggregates.get(aggregateId) ?? this.domain.initial(aggregateId);
  }

  get aggregateView(): ReadonlyMap<string, S> {
    return this.aggregates;
  }

  /**
   * Folds one record in. A checkpoint is compared with this state's hash unless `verify` is false
   * (replay checks only some, as hashing the whole partition is costly); a mismatch is a desync.
   */
  apply(record: LogRecord, offset: number, verify = true): void {
    if (record.type === 'checkpoint') {
      if (verify) this.verify(record.stateHash, offset);
    } else {
      this.fold(record.aggregateId, record.events);
      this.dedupe.remember(record.commandId, record.outcome);
      if (record.commandOffset !== undefined) this.consumedOffset = Math.max(this.consumedOffset, record.commandOffset);
    }
    this.lastOffset = offset;
  }

  verify(expectedHash: string, offset: number): void {
    const actual = this.hash();
    if (actual !== expectedHash) throw new DesyncError(offset, expectedHash, actual);
  }

  /** Applies events to one aggregate; used live, before the offset of their record is known. */
  fold(aggregateId: string, events: unknown[]): void {
    if (events.length === 0) return;
    this.aggregates.set(aggregateId, events.reduce<S>((state, event) => this.domain.evolve(state, event), this.aggregate(aggregateId)));
    this.aggregatesDigest.touch(aggregateId);
  }

  image(): PartitionImage<S> {
    return { lastOffset: this.lastOffset, consumedOffset: this.consumedOffset, aggregates: [...this.aggregates], dedupe: this.dedupe.entries() };
  }

  /** Text of everything replay must reproduce (not the offset: snapshots carry their own), for snapshots. */
  serialize(): string {
    return [...imageText(this.image())].join('');
  }

  /**
   * What checkpoints and fingerprints compare: covers what `serialize()` holds (the dedupe window as a set), kept up to
   * date incrementally, so its cost follows what changed since the last call rather than the partition's size.
   */
  hash(): string {
    return sha256(`${this.aggregatesDigest.value()}:${this.dedupe.contentDigest()}:${this.consumedOffset}`);
  }

  /** Rebuilds a partition from `serialize()` text; throws on anything that is not such text. */
  static deserialize<S>(
    domain: AggregateDomain<S, unknown, unknown, unknown>,
    dedupeCapacity: number,
    text: string,
    lastOffset: number,
  ): PartitionState<S> {
    const parsed: unknown = JSON.parse(text);
    const { aggregates, dedupe, consumedOffset } = (parsed ?? {}) as Partial<PartitionImage<S>>;
    if (!Array.isArray(aggregates) || !Array.isArray(dedupe) || !Number.isInteger(consumedOffset)) throw new Error('not a partition image');
    return new PartitionState(domain, dedupeCapacity, { lastOffset, consumedOffset: consumedOffset!, aggregates, dedupe });
  }
}
