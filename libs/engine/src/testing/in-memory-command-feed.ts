import { CommandFeed, FeedListener } from '../ports/command-feed';
import { InMemoryTopics } from './in-memory-topics';
import { nextTurn } from './next-turn';

export interface InMemoryGroupOptions {
  /** How long a member waits for the group's next word (`stillOwned`): a heartbeat. */
  heartbeatMs?: number;
  /** Most commands one `onCommands` call gets. */
  maxDelivery?: number;
}

/**
 * One consumer group on a commands topic of `InMemoryTopics`, for the fast test tier; its members honour the same
 * contract as the Kafka adapter (`commandFeedContract`). Partitions are split round-robin among the members in the
 * order they joined, again whenever one joins or leaves; like the real group, it commits nothing, so a partition
 * that moves is delivered to its new member from the beginning.
 */
export class InMemoryConsumerGroup {
  private readonly members: InMemoryCommandFeed[] = [];
  readonly heartbeatMs: number;
  readonly maxDelivery: number;

  constructor(
    readonly topics: InMemoryTopics,
    readonly topic: string,
    { heartbeatMs = 10, maxDelivery = 100 }: InMemoryGroupOptions = {},
  ) {
    if (topics.partitionCount(topic) === 0) throw new Error(`commands topic ${topic} does not exist`);
    this.heartbeatMs = heartbeatMs;
    this.maxDelivery = maxDelivery;
  }

  /** A new member, not started yet. */
  newFeed(): InMemoryCommandFeed {
    return new InMemoryCommandFeed(this);
  }

  /**
   * Fault for tests: the group drops `member` and rebalances the rest, as when a member's session expires while it is
   * cut off or paused. The member is not told: it keeps the partitions it had and its fetches go on (a zombie) until
   * its next word from the group, where `stillOwned` answers false. It does not rejoin.
   */
  expel(member: InMemoryCommandFeed): void {
    if (!this.leave(member)) throw new Error('not a member of this group');
    member.expelled = true;
  }

  join(member: InMemoryCommandFeed): void {
    this.members.push(member);
    this.rebalance();
  }

  leave(member: InMemoryCommandFeed): boolean {
    const index = this.members.indexOf(member);
    if (index < 0) return false;
    this.members.splice(index, 1);
    this.rebalance();
    return true;
  }

  private rebalance(): void {
    const partitions = this.topics.partitionCount(this.topic);
    this.members.forEach((member, index) => {
      const owned: number[] = [];
      for (let partition = index; partition < partitions; partition += this.members.length) owned.push(partition);
      member.assign(owned);
    });
  }
}

/** One member of an `InMemoryConsumerGroup`: tells its listener its assignment, then delivers commands in order. */
export class InMemoryCommandFeed implements CommandFeed {
  private listener?: FeedListener;
  private stopped = false;
  /** Set by the group: dropped without being told (see `InMemoryConsumerGroup.expel`). */
  expelled = false;
  private assigned: number[] = [];
  private assignmentDue = false;
  /** Next offset to deliver, per assigned partition. */
  private readonly positions = new Map<number, number>();
  /** Pauses not yet resumed, per partition. */
  private readonly pauses = new Map<number, Set<object>>();
  private readonly waiting = new Set<{ timer: NodeJS.Timeout; answer: (owned: boolean) => void }>();
  private pumping = false;
  /** Every answer `stillOwned` gave, in order: lets a test wait for the member to have heard the group. */
  readonly ownershipAnswers: { partition: number; owned: boolean }[] = [];
  private unwatch?: () => void;

  constructor(private readonly group: InMemoryConsumerGroup) {}

  async start(listener: FeedListener): Promise<void> {
    if (this.listener) throw new Error('started already');
    this.listener = listener;
    await nextTurn();
    this.unwatch = this.group.topics.watch(this.group.topic, () => this.schedule());
    this.group.join(this);
  }

  /** Called by the group on every rebalance: partitions new here start from the beginning, kept ones where they were. */
  assign(partitions: number[]): void {
    for (const partition of this.positions.keys()) {
      if (!partitions.includes(partition)) {
        this.positions.delete(partition);
        this.pauses.delete(partition);
      }
    }
    for (const partition of partitions) if (!this.positions.has(partition)) this.positions.set(partition, 0);
    this.assigned = [...partitions];
    this.assignmentDue = true;
    this.schedule();
  }

  rewind(partition: number, offset: number): void {
    if (this.stopped || !this.positions.has(partition)) return;
    this.positions.set(partition, Math.max(0, offset));
    this.schedule();
  }

  stillOwned(partition: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.waiting.delete(entry);
          const owned = !this.stopped && !this.expelled && this.assigned.includes(partition);
          this.ownershipAnswers.push({ partition, owned });
          resolve(owned);
        }, this.group.heartbeatMs),
        answer: resolve,
      };
      this.waiting.add(entry);
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unwatch?.();
    for (const entry of this.waiting) {
      clearTimeout(entry.timer);
      entry.answer(false);
    }
    this.waiting.clear();
    this.group.leave(this);
    await nextTurn();
  }

  private schedule(): void {
    if (this.pumping || this.stopped) return;
    this.pumping = true;
    setImmediate(() => {
      this.pumping = false;
      this.pump();
    });
  }

  /** One round: the assignment if it changed, then at most one delivery per partition; again while anything is left. */
  private pump(): void {
    const listener = this.listener;
    if (this.stopped || !listener) return;
    if (this.assignmentDue && !this.expelled) listener.onAssignment([...this.assigned]);
    this.assignmentDue = false;
    for (const [partition, position] of this.positions) {
      if (this.stopped) return;
      const { topics, topic } = this.group;
      const end = topics.end(topic, partition);
      if (position >= end || (this.pauses.get(partition)?.size ?? 0) > 0) continue;
      // A position before the log's start moves to it, as a consumer resetting to the earliest offset does.
      const from = Math.max(position, topics.start(topic, partition));
      const commands = topics.read(topic, partition, from, from + this.group.maxDelivery).map(({ offset, value }) => ({ offset, value: Buffer.from(value) }));
      const next = from + commands.length;
      this.positions.set(partition, next);
      listener.onCommands(partition, commands, () => this.pause(partition), end - next);
    }
    if (this.deliverable()) this.schedule();
  }

  /** Whether a partition that is not paused has commands not delivered yet (positions may have been rewound meanwhile). */
  private deliverable(): boolean {
    for (const [partition, position] of this.positions) {
      if ((this.pauses.get(partition)?.size ?? 0) === 0 && position < this.group.topics.end(this.group.topic, partition)) return true;
    }
    return false;
  }

  private pause(partition: number): () => void {
    const token = {};
    const pauses = this.pauses.get(partition) ?? new Set<object>();
    pauses.add(token);
    this.pauses.set(partition, pauses);
    return () => {
      pauses.delete(token);
      this.schedule();
    };
  }
}
