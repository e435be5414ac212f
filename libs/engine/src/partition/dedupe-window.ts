import { canonicalJson } from './canonical-json';
import { MultisetDigest } from './multiset-digest';
import { Outcome } from './records';

/**
 * The outcomes of the most recent commands, oldest evicted first. Part of partition state,
 * so it is snapshotted and replayed: a retry finds its first outcome on any owner.
 * A ring of ids keeps eviction O(1): deleting from the front of a Map makes its iteration crawl.
 */
export class DedupeWindow {
  private readonly outcomes = new Map<string, Outcome>();
  private readonly ring: (string | undefined)[];
  private next = 0;
  private readonly digest = new MultisetDigest((commandId) => {
    const outcome = this.outcomes.get(commandId);
    return outcome === undefined ? undefined : canonicalJson([commandId, outcome]);
  });

  constructor(
    readonly capacity: number,
    entries: Iterable<[string, Outcome]> = [],
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`dedupe capacity must be a positive integer, got ${capacity}`);
    this.ring = new Array<string | undefined>(capacity);
    for (const [commandId, outcome] of entries) this.remember(commandId, outcome);
  }

  outcomeOf(commandId: string): Outcome | undefined {
    return this.outcomes.get(commandId);
  }

  /** Records a new outcome; an id already present keeps its place and its first outcome's slot. */
  remember(commandId: string, outcome: Outcome): void {
    if (!this.outcomes.has(commandId)) {
      const evicted = this.ring[this.next];
      if (evicted !== undefined) {
        this.outcomes.delete(evicted);
        this.digest.touch(evicted);
      }
      this.ring[this.next] = commandId;
      this.next = (this.next + 1) % this.capacity;
    }
    this.outcomes.set(commandId, outcome);
    this.digest.touch(commandId);
  }

  /** Digest of the remembered outcomes, whatever order they came in; costs only what changed since the last call. */
  contentDigest(): string {
    return this.digest.value();
  }

  get size(): number {
    return this.outcomes.size;
  }

  /** Oldest first. */
  entries(): [string, Outcome][] {
    const ordered: [string, Outcome][] = [];
    for (let step = 0; step < this.capacity; step++) {
      const commandId = this.ring[(this.next + step) % this.capacity];
      if (commandId !== undefined) ordered.push([commandId, this.outcomes.get(commandId)!]);
    }
    return ordered;
  }
}
