import { DirectOwnerConfig } from '@app/config';
import { ChangedView, DirectAnswer, EngineLogger, PartitionEngine } from '@app/engine';
import { partitionOfKey } from '@app/kafka';
import { LinkPeer, OwnerLinkServer } from '@app/owner-link';
import { FollowAnswer, FollowRequest, followRequestOf } from './follow-requests';
import { isStatusRequest, OwnerStatus } from './status-requests';
import { ViewFollowers } from './view-followers';

/**
 * Takes commands sent straight to this process by gateways (`{ envelope }` over an owner link) and hands each to the
 * engine, for the partition its aggregate belongs to: worked out here, not taken from the sender, so a gateway with a
 * wrong idea of the partitions cannot put an aggregate's state in two partitions. Gateways also follow aggregates here
 * (`{ follow: aggregateId }`, `{ unfollow: aggregateId }`): each view the engine publishes of one is pushed to them, and
 * ask how this process is doing (`{ status: true }`, for the operator's dashboard).
 */
const LOOPBACK = /^(127\.|::1$|localhost$)/;

export class DirectCommandServer {
  private readonly server: OwnerLinkServer;
  private readonly followers = new ViewFollowers();
  private engine?: PartitionEngine<unknown>;
  private partitions?: () => Promise<number>;
  /** Read once: after that, a command reaches the engine in the same turn as its frame (see `handleCommand`). */
  private partitionCount?: number;

  constructor(
    private readonly config: DirectOwnerConfig,
    private readonly logger: EngineLogger,
    /** Named in status answers (INSTANCE_ID). */
    private readonly instanceId?: string,
  ) {
    this.server = new OwnerLinkServer({
      host: config.host,
      port: config.port,
      secret: config.secret,
      handle: (body, peer) => this.handle(body, peer),
      log: (line) => logger.warn(line),
    });
  }

  /** Listens, and resolves with the address to advertise (`host:port`). */
  async listen(): Promise<string> {
    const { port } = await this.server.listen();
    const { advertisedHost, host: listening, secret } = this.config;
    const host = advertisedHost.includes(':') ? `[${advertisedHost}]` : advertisedHost;
    // Both are legitimate locally, and silent failures elsewhere: gateways on other hosts cannot connect (commands
    // then take the topic, and views pushed here reach nobody there), or anyone who reaches the port may send commands.
    if (LOOPBACK.test(advertisedHost)) this.logger.log(`advertising ${host}:${port}: only gateways on this host can reach it (set DIRECT_ADVERTISED_HOST)`);
    if (!LOOPBACK.test(listening) && !secret) this.logger.warn(`listening on ${listening}:${port} without DIRECT_SECRET: whoever reaches it may send commands`);
    return `${host}:${port}`;
  }

  /** From now on commands go to `engine`; until then every one is answered `resend`. */
  serve(engine: PartitionEngine<unknown>, partitions: () => Promise<number>): void {
    this.engine = engine;
    this.partitions = partitions;
  }

  /** Aggregates some gateway follows here now. */
  get followedAggregates(): number {
    return this.followers.aggregates;
  }

  /** The engine's views listener: pushes each changed view to whoever follows its aggregate here. */
  viewsChanged(changes: ChangedView[]): void {
    this.followers.changed(changes);
  }

  private handle(body: unknown, peer: LinkPeer): Promise<DirectAnswer | FollowAnswer | OwnerStatus> {
    if (isStatusRequest(body)) return Promise.resolve(this.status());
    const follow = followRequestOf(body);
    return follow ? this.handleFollow(follow, peer) : this.handleCommand(body);
  }

  /** What `/engine/status` says; not ready, owning nothing, until the engine is handed over. */
  private status(): OwnerStatus {
    const engine = this.engine;
    return {
      instanceId: this.instanceId ?? null,
      ready: engine?.isReady() ?? false,
      partitions: engine?.status() ?? [],
      standbys: engine?.standbyStatus().length ?? 0,
    };
  }

  /** A follow is taken only for an aggregate whose partition is assigned here; elsewhere the gateway looks again. */
  private async handleFollow(request: FollowRequest | { error: string }, peer: LinkPeer): Promise<FollowAnswer> {
    if ('error' in request) return { ok: false, error: request.error };
    if ('unfollow' in request) {
      this.followers.unfollow(peer, request.unfollow);
      return { ok: true };
    }
    const aggregateId = request.follow;
    const partition = this.partitionOf(aggregateId) ?? (await this.learnPartitions(aggregateId));
    if (!this.engine || partition === undefined) return { ok: false, resend: true, reason: 'this process is starting' };
    if (!this.engine.owns(partition)) return { ok: false, resend: true, reason: `partition ${partition} is not owned here` };
    if (!this.followers.follow(peer, aggregateId)) return { ok: false, error: `a connection may follow at most ${this.followers.maxPerPeer} aggregates` };
    return { ok: true };
  }

  private async handleCommand(body: unknown): Promise<DirectAnswer> {
    const envelope = (body as { envelope?: { aggregateId?: unknown } } | null)?.envelope;
    const aggregateId = envelope?.aggregateId;
    if (typeof aggregateId !== 'string' || aggregateId.length === 0) {
      return { kind: 'outcome', outcome: { ok: false, rejection: { code: 'invalid_payload', message: 'not a command envelope: no aggregateId' } } };
    }
    // No await once the count is known, so every command of one read from the socket is submitted before the
    // partition's next batch starts, and they share it.
    const partition = this.partitionOf(aggregateId) ?? (await this.learnPartitions(aggregateId));
    if (!this.engine || partition === undefined) return { kind: 'resend', reason: 'this process is starting' };
    return this.engine.submit(partition, envelope);
  }

  /** The aggregate's partition, once the partition count is known. */
  private partitionOf(aggregateId: string): number | undefined {
    return this.partitionCount === undefined ? undefined : partitionOfKey(aggregateId, this.partitionCount);
  }

  /** Reads the partition count (kept once known: a topic not found yet reads as 0 and is asked again next time). */
  private async learnPartitions(aggregateId: string): Promise<number | undefined> {
    const count = this.partitions ? await this.partitions() : 0;
    if (count > 0) this.partitionCount = count;
    return this.partitionOf(aggregateId);
  }

  /** After the engine stopped (every command it held answered): the last answers go out, then connections close. */
  close(): Promise<void> {
    return this.server.close();
  }
}
