import { Admin } from 'kafkajs';
import { readGroup } from './group-members';

export interface OwnerDirectoryOptions {
  admin: Admin;
  /** The service's consumer group on its commands topic: its assignment is the ownership. */
  groupId: string;
  commandsTopic: string;
  /** How often the map is read again when nothing asks for it sooner. */
  refreshEveryMs?: number;
  onError?(error: unknown): void;
  /** After each successful read. */
  onRead?(): void;
}

const MIN_READ_GAP_MS = 250;

/**
 * Which process owns which partition of a service, and where it is reached: read from the consumer group (each
 * member's assignment and the address it advertises, see `advertisingAssigner`), again every `refreshEveryMs` and
 * whenever a sender found the map wrong. A partition nobody advertises for (a rebalance in progress, an owner
 * without an address) has no entry: its commands take the commands topic.
 */
export class OwnerDirectory {
  private owners = new Map<number, string>();
  private reading?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** When the last read ended (performance.now()): reads asked for in a burst wait for the gap. */
  private lastReadAt = -Infinity;

  constructor(private readonly options: OwnerDirectoryOptions) {}

  /** Where the owner of `partition` is reached, as of the last read. */
  ownerOf(partition: number): string | undefined {
    return this.owners.get(partition);
  }

  /** Every address some partition's owner is reached at, as of the last read. */
  addresses(): string[] {
    return [...new Set(this.owners.values())];
  }

  /** Reads the group once, then keeps reading it in the background. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.refreshEveryMs ?? 2_000);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /**
   * Reads the group soon: at once, or MIN_READ_GAP_MS after the last read (every sender that found the map wrong asks,
   * and a partition that recovers for a while would otherwise have the group read back to back). Once however many
   * ask meanwhile. Never rejects: a failed read keeps the last map.
   */
  refresh(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.reading ??= new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, this.lastReadAt + MIN_READ_GAP_MS - performance.now())))
      .then(() => this.read())
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.lastReadAt = performance.now();
        this.reading = undefined;
      });
    return this.reading;
  }

  private async read(): Promise<void> {
    const { admin, groupId, commandsTopic } = this.options;
    const { rebalancing, members } = await readGroup(admin, groupId);
    // Mid-rebalance the group describes its members without assignments: the last map is the better guess (an owner
    // that lost a partition answers `resend`), where an empty one would send every partition through the topic.
    if (rebalancing) return;
    const owners = new Map<number, string>();
    for (const { address, assignment } of members) {
      if (!address) continue;
      for (const partition of assignment[commandsTopic] ?? []) owners.set(partition, address);
    }
    this.owners = owners;
    this.options.onRead?.();
  }
}
