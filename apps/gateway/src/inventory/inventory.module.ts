import { createHash } from 'node:crypto';
import { Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { GatewayConfig } from '@app/config';
import { InventoryView } from '@app/inventory';
import { changesTopicOf, commandsTopicOf, createKafka, gatewayRepliesTopicOf, KafkaCommandClient } from '@app/kafka';
import { APP_CONFIG } from '@app/platform';
import { InventoryChanges } from './inventory-changes';
import { InventoryClient } from './inventory-client';

/** How long a socket or admin request waits for the inventory service before answering `unavailable`. */
export const INVENTORY_TIMEOUT_MS = 5_000;

/** Who hears about a changed inventory: the realtime gateway pushes it to the player's sockets. */
export abstract class InventoryChangeListener {
  abstract changed(playerId: string, inventory: InventoryView): void;
}

/**
 * The gateway's Kafka side for inventories: sends commands and waits for their outcomes on one partition of
 * the replies topic (chosen from the instance id; two instances sharing one each ignore the other's replies),
 * and follows the changes topic.
 */
@Injectable()
export class InventoryConnection implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly kafka: Kafka;
  readonly admin: Admin;
  private commands?: KafkaCommandClient;
  private changes?: InventoryChanges;
  private readonly listeners: InventoryChangeListener[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: GatewayConfig) {
    this.kafka = createKafka({ brokers: config.kafka.brokers, clientId: config.kafka.clientId });
    this.admin = this.kafka.admin();
  }

  listen(listener: InventoryChangeListener): void {
    this.listeners.push(listener);
  }

  client(): InventoryClient {
    if (!this.commands) throw new Error('the inventory connection is not started');
    return new InventoryClient(this.commands, commandsTopicOf(this.config.kafka.topicPrefix, 'inventory'), INVENTORY_TIMEOUT_MS);
  }

  async onApplicationBootstrap(): Promise<void> {
    const { topicPrefix, clientId } = this.config.kafka;
    await this.admin.connect();
    const replyTopic = gatewayRepliesTopicOf(topicPrefix);
    const [metadata] = (await this.admin.fetchTopicMetadata({ topics: [replyTopic] })).topics;
    const replyPartition = createHash('sha256').update(clientId).digest().readUInt32BE(0) % metadata.partitions.length;
    this.commands = new KafkaCommandClient({ kafka: this.kafka, admin: this.admin, replyTopic, replyPartition });
    await this.commands.start();
    this.changes = new InventoryChanges(this.kafka, this.admin, changesTopicOf(topicPrefix, 'inventory'), (playerId, inventory) => {
      for (const listener of this.listeners) listener.changed(playerId, inventory);
    });
    await this.changes.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.commands?.stop(), this.changes?.stop()]);
    await this.admin.disconnect();
  }
}

@Module({ providers: [InventoryConnection], exports: [InventoryConnection] })
export class InventoryModule {}
