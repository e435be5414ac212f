import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { GatewayConfig } from '@app/config';
import { changesTopicOf, commandsTopicOf, createKafka, gatewayRepliesTopicOf, KafkaCommandClient, OwnerDirectory, serviceGroupOf } from '@app/kafka';
import { APP_CONFIG } from '@app/platform';
import { ChangeFeed } from './change-feed';
import { CommandRouter } from './command-router';
import { OwnerLinks } from './owner-links';

export type ServiceName = 'inventory' | 'zone';

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
  private readonly links = new OwnerLinks();
  private readonly logger = new Logger('ServiceConnection');
  private readonly listeners = new Map<ServiceName, ((aggregateId: string, view: object) => void)[]>();
  private readonly feeds: ChangeFeed[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: GatewayConfig) {
    this.kafka = createKafka({ brokers: config.kafka.brokers, clientId: config.kafka.clientId, security: config.kafka.security });
    this.admin = this.kafka.admin();
  }

  /** Calls `listener` with every change the service publishes from start-up on; register before start-up. */
  follow(service: ServiceName, listener: (aggregateId: string, view: object) => void): void {
    this.listeners.set(service, [...(this.listeners.get(service) ?? []), listener]);
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
    this.client = new KafkaCommandClient({ kafka: this.kafka, admin: this.admin, replyTopic, replyPartition });
    await this.client.start();
    for (const service of ['inventory', 'zone'] as const) this.routers.set(service, await this.newRouter(service, this.client));
    for (const [service, listeners] of this.listeners) {
      const feed = new ChangeFeed(this.kafka, this.admin, changesTopicOf(topicPrefix, service), (aggregateId, view) => {
        for (const listener of listeners) listener(aggregateId, view);
      });
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
        onRead: () => this.links.keepOnly(new Set(this.directories.flatMap((each) => each.addresses()))),
      });
      this.directories.push(directory);
      await directory.start();
    }
    return new CommandRouter({ service, commandsTopic, partitions: metadata.partitions.length, topic, directory, links: this.links });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const directory of this.directories) directory.stop();
    this.links.closeAll();
    await Promise.all([this.client?.stop(), ...this.feeds.map((feed) => feed.stop())]);
    await this.admin.disconnect();
  }
}

@Module({ providers: [ServiceConnection], exports: [ServiceConnection] })
export class ServicesModule {}
