/** A raw record of `<service>.commands`: parsed and validated by the engine, never trusted. */
export interface InboundCommand {
  offset: number;
  value: Buffer | null;
}

export interface FeedListener {
  /** The complete set of partitions this member owns after a (re)join. */
  onAssignment(partitions: number[]): void;
  /**
   * New commands of one partition, in order. The feed moves on at once (fetching goes on while the
   * engine commits); `pause` stops deliveries of this partition until the returned function is called.
   * `unfetched` counts the partition's records after these that the feed had not fetched yet, as of this fetch.
   */
  onCommands(partition: number, commands: InboundCommand[], pause: () => () => void, unfetched: number): void;
}

/**
 * Port: partition ownership and command delivery (a consumer group on `<service>.commands`).
 * Committing consumed offsets is not its job: the engine records each command's offset in the events
 * log, in the same record as its outcome, and rewinds the feed there after recovery.
 */
export interface CommandFeed {
  start(listener: FeedListener): Promise<void>;
  /** Delivers a partition's commands again from `offset`: what a failed commit needs. */
  rewind(partition: number, offset: number): void;
  /**
   * Resolves at the group's next word about this member (a successful heartbeat or a rejoin): true when
   * the partition is still assigned here, false once it is not or the feed stopped.
   */
  stillOwned(partition: number): Promise<boolean>;
  /** Leaves the group at once, so the partitions move without waiting for a session timeout. */
  stop(): Promise<void>;
}
