import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { AggregateDomain } from '../domain/aggregate-domain';
import { CommandFeed, InboundCommand } from '../ports/command-feed';
import { EventStream } from '../ports/event-stream';
import { SnapshotStore } from '../ports/snapshot-store';
import { DirectAnswer } from './direct-command';
import { DEFAULT_ENGINE_OPTIONS, EngineLogger, EngineOptions } from './engine-options';
import { PartitionRunner } from './partition-runner';
import { PartitionStatus } from './partition-status';
import { atMost } from './time-limits';
import { ChangedView } from './runner-deps';
import { WarmStandbys } from './warm-standby';

export type { ChangedView } from './runner-deps';

export interface PartitionEngineDeps<S, C, E, R> {
  domain: AggregateDomain<S, C, E, R>;
  feed: CommandFeed;
  stream: EventStream;
  snapshots: SnapshotStore;
  /** Names the commands topic of a service (for commands sent to other partitions and services). */
  commandsTopic(service: string): string;
  /** Names the topic a service publishes its changed aggregates' views to (see `AggregateDomain.view`). */
  changesTopic(service: string): string;
  logger: EngineLogger;
  options?: Partial<EngineOptions>;
  now?: () => number;
  /**
   * Hears the views (`AggregateDomain.view`) of the aggregates each batch changed, once per batch that counts, right
   * after it counts (not after earlier batches' sends), whether or not the changes topic exists. The texts are the
   * ones sent to the changes topic, so nobody serializes them twice. A listener that throws is logged, not obeyed.
   */
  viewsChanged?(changes: ChangedView[]): void;
}

/**
 * Hosts whichever partitions of one service the consumer group gives this process, one runner each.
 * Framework-free: the apps wrap it in a NestJS module.
 */
export class PartitionEngine<S, C = unknown, E = unknown, R = unknown> {
  private readonly runners = new Map<number, PartitionRunner<S>>();
  private readonly releasing = new Set<Promise<void>>();
  private joined = false;
  private stopping?: Promise<void>;
  private readonly options: EngineOptions;
  private readonly owner = `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
  private readonly standbys?: WarmStandbys<S>;

  constructor(private readonly deps: PartitionEngineDeps<S, C, E, R>) {
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...deps.options };
    if (this.options.warmStandby) {
      const { domain, stream, snapshots, logger } = deps;
      this.standbys = new WarmStandbys({ domain: domain as AggregateDomain<S, unknown, unknown, unknown>, stream, snapshots, logger, options: this.options });
    }
  }

  async start(): Promise<void> {
    this.deps.stream.prepareWriters?.(this.options.spareWriters);
    if (this.standbys) {
      this.standbys.start();
      await atMost(this.options.warmBeforeJoinMs, this.standbys.warmed());
      if (this.stopping) return;
    }
    await this.deps.feed.start({
      onAssignment: (partitions) => this.assign(partitions),
      onCommands: (partition, commands, pause, unfetched) => this.commands(partition, commands, pause, unfetched),
    });
  }

  private assign(partitions: number[]): void {
    if (this.stopping) return;
    this.joined = true;
    this.deps.logger.log(`${this.deps.stream.name}: assigned [${partitions.join(', ')}] by the group`);
    this.standbys?.assigned(partitions);
    const owned = new Set(partitions);
    for (const [partition, runner] of this.runners) {
      if (!owned.has(partition)) {
        this.runners.delete(partition);
        this.deps.logger.log(`${this.deps.stream.name}[${partition}]: revoked`, { partition });
        this.track(runner.release(true));
      }
    }
    for (const partition of partitions) {
      const runner = this.runners.get(partition);
      if (!runner) {
        const created = new PartitionRunner(partition, {
          domain: this.deps.domain as AggregateDomain<S, unknown, unknown, unknown>,
          stream: this.deps.stream,
          snapshots: this.deps.snapshots,
          commandsTopic: (service) => this.deps.commandsTopic(service ?? this.deps.domain.service),
          changesTopic: this.deps.changesTopic(this.deps.domain.service),
          options: this.options,
          logger: this.deps.logger,
          now: this.deps.now ?? Date.now,
          rewind: (offset) => this.deps.feed.rewind(partition, offset),
          stillOwned: () => this.deps.feed.stillOwned(partition),
          owner: this.owner,
          viewsChanged: this.deps.viewsChanged && ((changes) => this.deps.viewsChanged?.(changes)),
          warm: this.standbys && ((partition) => this.standbys!.take(partition)),
        });
        this.runners.set(partition, created);
        created.start();
      }
    }
  }

  private commands(partition: number, commands: InboundCommand[], pause: () => () => void, unfetched: number): void {
    if (!this.stopping) this.runners.get(partition)?.receive(commands, pause, unfetched);
  }

  /**
   * A command sent straight to this process (not through the commands topic) for `partition`: decided and answered
   * here when this process serves the partition, otherwise answered `resend`.
   */
  submit(partition: number, envelope: unknown): Promise<DirectAnswer> {
    const runner = this.stopping ? undefined : this.runners.get(partition);
    if (!runner) return Promise.resolve({ kind: 'resend', reason: `${this.deps.stream.name}[${partition}] is not owned here` });
    return runner.submit(envelope);
  }

  /** Whether `partition` is assigned here now (serving, recovering or failed; not released). */
  owns(partition: number): boolean {
    return !this.stopping && this.runners.has(partition);
  }

  private track(release: Promise<void>): void {
    this.releasing.add(release);
    void release.finally(() => this.releasing.delete(release));
  }

  /** The partitions followed here as warm standbys, with the offset each has folded up to (none when off). */
  standbyStatus(): { partition: number; lastOffset: number }[] {
    return this.standbys?.status() ?? [];
  }

  status(): PartitionStatus[] {
    return [...this.runners.values()].map((runner) => runner.status()).sort((a, b) => a.partition - b.partition);
  }

  fingerprint(partition: number): { hash: string; lastOffset: number } | undefined {
    return this.runners.get(partition)?.fingerprint();
  }

  /** Ready once the group has been joined and every owned partition is serving. */
  isReady(): boolean {
    return this.joined && !this.stopping && [...this.runners.values()].every((runner) => runner.currentPhase === 'serving');
  }

  /**
   * Planned stop: take no new batches, finish and commit the one in flight, take every partition's image after a
   * checkpoint, then leave the group so the next owner takes over at once, while the images are saved as snapshots.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const runners = [...this.runners.values()];
      this.runners.clear();
      const standbys = this.standbys?.stop();
      await Promise.allSettled(runners.map((runner) => runner.quiesce()));
      const released = Promise.all([standbys, ...runners.map((runner) => runner.release(true)), ...this.releasing]);
      // Heard after the group is left (below), not as an unhandled rejection meanwhile.
      released.catch(() => undefined);
      try {
        await this.deps.feed.stop();
        await released;
      } finally {
        await this.deps.stream.close?.();
      }
    })();
    return this.stopping;
  }
}
