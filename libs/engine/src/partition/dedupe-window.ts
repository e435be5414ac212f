import { canonicalJson } from './canonical-json';
import { MultisetDigest } from './multiset-digest';
import { Outcome } from './records';

/**
 * The outcomes of the most recent commands, oldest evicted first. Part of partition state,
 * so it is snapshotted and replayed: a retry finds its first outcome on any owner.
 * A ring of slots keeps eviction O(1): deleting from the front of a Map makes its iteration crawl.
 */
export class DedupeWindow {
  /** Where each remembered command id sits in the ring. */
  private readonly slots = new Map<string, number>();
  private readonly ids: (string | undefined)[];
  private readonly outcomes: (Outcome | undefined)[];
  private next = 0;
  /** Keyed by slot: a slot changing hands is one update, and the sum ignores which slot holds what. */
  private readonly digest = new MultisetDigest<number>((slot) => {
    const commandId = this.ids[slot];
    return commandId === undefined ? undefined : canonicalJson([commandId, this.outcomes[slot]]);
  });

  constructor(
    readonly capacity: number,
    entries: Iterable<[string, Outcome]> = [],
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`dedupe capacity must be a positive integer, got ${capacity}`);
    this.ids = new Array<string | undefined>(capacity);
    this.outcomes = new Array<Outcome | undefined>(capacity);
    for (const [commandId, outcome] of entries) this.remember(commandId, outcome);
  }

  outcomeOf(commandId: string): Outcome | undefined {
    const slot = this.slots.get(commandId);
    return slot === undefined ? undefined : this.outcomes[slot];
  }

  /** Records a new outcome; an id already present keeps its place and its first outcome's slot. */
  remember(commandId: string, outcome: Outcome): void {
    let slot = this.slots.get(commandId);
    if (slot === undefined) {
      slot = this.next;
      const evicted = this.ids[slot];
      if (evicted !== undefined) this.slots.delete(evicted);
      this.ids[slot] = commandId;
      this.slots.set(commandId, slot);
      this.next = (slot + 1) % this.capacity;
    }
    this.outcomes[slot] = outcome;
    this.digest.touch(slot);
  }

  /** Digest of the remembered outcomes, whatever order they came in; costs only what changed since the last call. */
  contentDigest(): string {
    return this.digest.value();
  }

  get size(): number {
    return this.slots.size;
  }

  /** Oldest first. */
  entries(): [string, Outcome][] {
    const ordered: [string, Outcome][] = [];
    for (let step = 0; step < this.capacity; step++) {
      const slot = (this.next + step) % this.capacity;
      const commandId = this.ids[slot];
      if (commandId !== undefined) ordered.push([commandId, this.outcomes[slot]!]);
    }
    return ordered;
  }
}
