import { Snapshot, SnapshotStore } from '../ports/snapshot-store';
import { nextTurn } from './next-turn';

interface Stored {
  snapshot: Snapshot;
  /** Order of saving, which `prune` keeps by. */
  saved: number;
}

/**
 * `SnapshotStore` in memory, for the fast test tier; it honours the same contract as the PostgreSQL adapter
 * (`snapshotStoreContract`). Rows are copied in and out, so nobody changes a stored snapshot but through `save`.
 */
export class InMemorySnapshotStore implements SnapshotStore {
  private readonly rows = new Map<string, Stored[]>();
  private saves = 0;

  async save(snapshot: Snapshot): Promise<void> {
    await nextTurn();
    const rows = this.partition(snapshot.stream, snapshot.partition).filter((row) => row.snapshot.lastOffset !== snapshot.lastOffset);
    rows.push({ snapshot: copy(snapshot), saved: ++this.saves });
    this.rows.set(keyOf(snapshot.stream, snapshot.partition), rows);
  }

  async latest(stream: string, partition: number, limit: number): Promise<Snapshot[]> {
    await nextTurn();
    return [...this.partition(stream, partition)]
      .sort((a, b) => b.snapshot.lastOffset - a.snapshot.lastOffset)
      .slice(0, Math.max(0, limit))
      .map((row) => copy(row.snapshot));
  }

  async prune(stream: string, partition: number, keep: number): Promise<void> {
    await nextTurn();
    const newestSaved = [...this.partition(stream, partition)].sort((a, b) => b.saved - a.saved).slice(0, Math.max(0, keep));
    this.rows.set(keyOf(stream, partition), newestSaved);
  }

  private partition(stream: string, partition: number): Stored[] {
    return this.rows.get(keyOf(stream, partition)) ?? [];
  }
}

const keyOf = (stream: string, partition: number): string => JSON.stringify([stream, partition]);

/** A snapshot as a row holds it: an absent checkpoint stays absent. */
function copy({ checkpoint, ...rest }: Snapshot): Snapshot {
  return checkpoint === undefined ? { ...rest } : { ...rest, checkpoint };
}
