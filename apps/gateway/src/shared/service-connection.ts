import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { GatewayConfig } from '@app/config';
import { changesTopicOf, commandsTopicOf, gatewayRepliesTopicOf, KafkaCommandClient, OwnerDirectory, partitionOfKey, serviceGroupOf } from '@app/kafka';
import { OwnerLinkClient } from '@app/owner-link';
import { APP_CONFIG, createAppKafka } from '@app/platform';
import { ChangeFeed } from './change-feed';
import { CommandRouter } from './command-router';
import { OwnerLinkListener, OwnerLinks } from './owner-links';

export type ServiceName = 'inventory' | 'zone';

/** A change as the changes topic carries it; `bytes`: the size of its record's value. */
export type ChangeListener = (aggregateId: string, view: object, bytes: number) => void;

/** A service's owners as this gateway reaches them, for following aggregates where they live (direct mode only). */
export interface ServiceOwners {
  /** Where the owner of `aggregateId`'s partition is reached, as of the last read of the group. */
  ownerOf(aggregateId: string): string | undefined;
  /** The link to `address`; undefined while it is known to be unreachable. */
  linkTo(address: string): OwnerLinkClient | undefined;
  /** Notes how a request to `address` failed (see OwnerLinks.failed). */
  failed(address: string, error: unknown): void;
  /** Called after each read of the group, once the map is the new one. */
  onRead(listener: () => void): void;
  /** Reads the group again soon (once, however many ask), instead of at the next periodic read. */
  refresh(): void;
  /** Pushes and closed connections of every owner link (all services share the pool). */
  listen(listener: OwnerLinkListener): void;
}

/**
 * The gateway's side of every partitioned service: sends commands straight to their partition's owner (`CommandRouter`)
 * or through the commands topic, waiting for outcomes on one partition of the replies topic (chosen from the instance
 * id; two instances sharing one each ignore the other's replies), and follows the changes topics someone listens to.
 */
@Injectable()
export class ServiceConnection implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly kafka: Kafka;
  readonly admin: Admin;
  private client?: KafkaCommandClient;
  private readonly routers = new Map<ServiceName, CommandRouter>();
  private readonly directories: OwnerDirectory[] = [];
  private readonly links: OwnerLinks;
  private readonly logger = new Logger('ServiceConnection');
  private readonly listeners = new Map<ServiceName, ChangeListener[]>();
  private readonly feeds: ChangeFeed[] = [];
  private readonly owners = new Map<ServiceName, ServiceOwners>();
  private readonly readListeners = new Map<ServiceName, (() => void)[]>();
  private stopping = false;

  constructor(@Inject(APP_CONFIG) private readonly config: GatewayConfig) {
    this.links = new OwnerLinks(config.directSecret, (line) => this.logger.error(line));
    this.kafka = createAppKafka(config.kafka);
    this.admin = this.kafka.admin();
  }

  /** Calls `listener` with every change the service publishes from start-up on; register before start-up. */
  follow(service: ServiceName, listener: ChangeListener): void {
    this.listeners.set(service, [...(this.listeners.get(service) ?? []), listener]);
  }

  /** Whether commands go straight to their owners (DIRECT_COMMANDS=on): then aggregates can be followed there too. */
  get directCommands(): boolean {
    return this.config.directCommands;
  }

  /** The service's owners once started, undefined when commands take the topics only. */
  ownersOf(service: ServiceName): ServiceOwners | undefined {
    return this.owners.get(service);
  }

  router(service: ServiceName): CommandRouter {
    const router = this.routers.get(service);
    if (!router) throw new Error('the service connection is not started');
    return router;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { topicPrefix, clientId } = this.config.kafka;
    await this.admin.connect();
    const replyTopic = gatewayRepliesTopicOf(topicPrefix);
    const [metadata] = (await this.admin.fetchTopicMetadata({ topics: [replyTopic] })).topics;
    const replyPartition = createHash('sha256').update(clientId).digest().readUInt32BE(0) % metadata.partitions.length;
    this.client = new KafkaCommandClient({ kafka: this.kafka, admin: this.admin, replyTopic, replyPartition, log: (line) => this.logger.warn(line) });
    await this.client.start();
    for (const service of ['inventory', 'zone'] as const) this.routers.set(service, await this.newRouter(service, this.client));
    for (const [service, listeners] of this.listeners) {
      const feed = new ChangeFeed(
        this.kafka,
        this.admin,
        changesTopicOf(topicPrefix, service),
        (aggregateId, view, bytes) => {
          for (const listener of listeners) listener(aggregateId, view, bytes);
        },
        (line) => this.logger.warn(line),
      );
      this.feeds.push(feed);
      await feed.start();
    }
  }

  private async newRouter(service: ServiceName, topic: KafkaCommandClient): Promise<CommandRouter> {
    const { topicPrefix } = this.config.kafka;
    const commandsTopic = commandsTopicOf(topicPrefix, service);
    const [metadata] = (await this.admin.fetchTopicMetadata({ topics: [commandsTopic] })).topics;
    let directory: OwnerDirectory | undefined;
    if (this.config.directCommands) {
      directory = new OwnerDirectory({
        admin: this.admin,
        groupId: serviceGroupOf(topicPrefix, service),
        commandsTopic,
        onError: (error) => this.logger.warn(`reading the owners of ${commandsTopic}: ${error instanceof Error ? error.message : String(error)}`),
        onRead: () => {
          this.links.keepOnly(new Set(this.directories.flatMap((each) => each.addresses())));
          for (const listener of this.readListeners.get(service) ?? []) listener();
        },
      });
      this.directories.push(directory);
      this.owners.set(service, this.serviceOwners(service, directory, metadata.partitions.length));
      await directory.start();
    }
    return new CommandRouter({ service, commandsTopic, partitions: metadata.partitions.length, topic, directory, links: this.links });
  }

  private serviceOwners(service: ServiceName, directory: OwnerDirectory, partitions: number): ServiceOwners {
    return {
      ownerOf: (aggregateId) => directory.ownerOf(partitionOfKey(aggregateId, partitions)),
      linkTo: (address) => this.links.to(address),
      failed: (address, error) => this.links.failed(address, error),
      onRead: (listener) => this.readListeners.set(service, [...(this.readListeners.get(service) ?? []), listener]),
      refresh: () => {
        if (!this.stopping) void directory.refresh();
      },
      listen: (listener) => this.links.listen(listener),
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const directory of this.directories) directory.stop();
    this.links.closeAll();
    await Promise.all([this.client?.stop(), ...this.feeds.map((feed) => feed.stop())]);
    await this.admin.disconnect();
  }
}

@Module({ providers: [ServiceConnection], exports: [ServiceConnection] })
export class ServicesModule {}
