/** A raw record of `<service>.commands`: parsed and validated by the engine, never trusted. */
export interface InboundCommand {
  offset: number;
  value: Buffer | null;
}

/** What the feed offers while one delivery is handled. */
export interface FeedSession {
  /** Keeps group membership alive during long work. */
  heartbeat(): Promise<void>;
  /** False once the feed is stopping or a rebalance has begun: stop taking new work. */
  isCurrent(): boolean;
}

export interface FeedListener {
  /** The complete set of partitions this member owns after a (re)join. */
  onAssignment(partitions: number[]): void;
  /**
   * New commands of one partition, in order. Resolve with the offset of the last command handled
   * (its outcome committed); later ones are delivered again, as is everything after a rejection.
   */
  onCommands(partition: number, commands: InboundCommand[], session: FeedSession): Promise<number | undefined>;
}

/**
 * Port: partition ownership and command delivery (a consumer group on `<service>.commands`).
 * Committing consumed offsets is not its job: they travel in the writer's transaction.
 */
export interface CommandFeed {
  start(listener: FeedListener): Promise<void>;
  /** Leaves the group at once, so the partitions move without waiting for a session timeout. */
  stop(): Promise<void>;
}
