import { Outcome } from './records';

/**
 * The outcomes of the most recent commands, oldest evicted first. Part of partition state,
 * so it is snapshotted and replayed: a retry finds its first outcome on any owner.
 */
export class DedupeWindow {
  private readonly outcomes = new Map<string, Outcome>();

  constructor(
    readonly capacity: number,
    entries: Iterable<[string, Outcome]> = [],
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`dedupe capacity must be a positive integer, got ${capacity}`);
    for (const [commandId, outcome] of entries) this.remember(commandId, outcome);
  }

  outcomeOf(commandId: string): Outcome | undefined {
    return this.outcomes.get(commandId);
  }

  remember(commandId: string, outcome: Outcome): void {
    this.outcomes.set(commandId, outcome);
    if (this.outcomes.size > this.capacity) this.outcomes.delete(this.outcomes.keys().next().value!);
  }

  get size(): number {
    return this.outcomes.size;
  }

  entries(): [string, Outcome][] {
    return [...this.outcomes];
  }
}
