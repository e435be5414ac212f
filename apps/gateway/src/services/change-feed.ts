import { randomBytes } from 'node:crypto';
import { Admin, Kafka } from 'kafkajs';
import { FollowingConsumer } from '@app/kafka';

/**
 * Follows a service's `<prefix><service>.changes` from now on, in a group of its own (every gateway instance
 * sees every change; each pushes to the players connected to it). Views are passed on as read: the listener
 * checks what it expects. It keeps following through a broker restart, from where it was (FollowingConsumer).
 */
export class ChangeFeed {
  private consumer?: FollowingConsumer;
  private readonly groupId: string;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly changesTopic: string,
    private readonly onChange: (aggregateId: string, view: object) => void,
  ) {
    this.groupId = `${changesTopic}.gateway.${randomBytes(6).toString('hex')}`;
  }

  /** Consumers built again after kafkajs gave up on one (for tests and logs). */
  get rebuilt(): number {
    return this.consumer?.rebuilt ?? 0;
  }

  async start(): Promise<void> {
    // No offsets committed: the group needs none, and without any the broker forgets the group of a gateway that
    // crashed instead of keeping it for the offsets retention period.
    this.consumer = new FollowingConsumer({
      kafka: this.kafka,
      admin: this.admin,
      groupId: this.groupId,
      topic: this.changesTopic,
      config: { maxWaitTimeInMs: 100 },
      eachMessage: (_partition, message) => {
        const change = parseChange(message.value);
        if (change) this.onChange(change.aggregateId, change.view);
      },
    });
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.admin.deleteGroups([this.groupId]).catch(() => undefined);
  }
}

function parseChange(value: Buffer | null): { aggregateId: string; view: object } | undefined {
  try {
    const change = JSON.parse(value?.toString('utf8') ?? '') as { aggregateId?: unknown; view?: unknown };
    return typeof change.aggregateId === 'string' && typeof change.view === 'object' && change.view !== null ? { aggregateId: change.aggregateId, view: change.view } : undefined;
  } catch {
    return undefined;
  }
}
