import { createHash } from 'node:crypto';
import { Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { GatewayConfig } from '@app/config';
import { changesTopicOf, commandsTopicOf, createKafka, gatewayRepliesTopicOf, KafkaCommandClient } from '@app/kafka';
import { APP_CONFIG } from '@app/platform';
import { ChangeFeed } from './change-feed';

export type ServiceName = 'inventory' | 'zone';

/**
 * The gateway's Kafka side for every partitioned service: sends commands and waits for their outcomes on one
 * partition of the replies topic (chosen from the instance id; two instances sharing one each ignore the other's
 * replies), and follows the changes topics someone listens to.
 */
@Injectable()
export class ServiceConnection implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly kafka: Kafka;
  readonly admin: Admin;
  private client?: KafkaCommandClient;
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

  commands(): KafkaCommandClient {
    if (!this.client) throw new Error('the service connection is not started');
    return this.client;
  }

  commandsTopic(service: ServiceName): string {
    return commandsTopicOf(this.config.kafka.topicPrefix, service);
  }

  async onApplicationBootstrap(): Promise<void> {
    const { topicPrefix, clientId } = this.config.kafka;
    await this.admin.connect();
    const replyTopic = gatewayRepliesTopicOf(topicPrefix);
    const [metadata] = (await this.admin.fetchTopicMetadata({ topics: [replyTopic] })).topics;
    const replyPartition = createHash('sha256').update(clientId).digest().readUInt32BE(0) % metadata.partitions.length;
    this.client = new KafkaCommandClient({ kafka: this.kafka, admin: this.admin, replyTopic, replyPartition });
    await this.client.start();
    for (const [service, listeners] of this.listeners) {
      const feed = new ChangeFeed(this.kafka, this.admin, changesTopicOf(topicPrefix, service), (aggregateId, view) => {
        for (const listener of listeners) listener(aggregateId, view);
      });
      this.feeds.push(feed);
      await feed.start();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.client?.stop(), ...this.feeds.map((feed) => feed.stop())]);
    await this.admin.disconnect();
  }
}

@Module({ providers: [ServiceConnection], exports: [ServiceConnection] })
export class ServicesModule {}
