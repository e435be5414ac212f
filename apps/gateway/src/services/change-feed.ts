import { randomBytes } from 'node:crypto';
import { Admin, Consumer, Kafka } from 'kafkajs';

/**
 * Follows a service's `<prefix><service>.changes` from now on, in a group of its own (every gateway instance
 * sees every change; each pushes to the players connected to it). Views are passed on as read: the listener
 * checks what it expects.
 */
export class ChangeFeed {
  private consumer?: Consumer;
  private readonly groupId: string;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly changesTopic: string,
    private readonly onChange: (aggregateId: string, view: object) => void,
  ) {
    this.groupId = `${changesTopic}.gateway.${randomBytes(6).toString('hex')}`;
  }

  async start(): Promise<void> {
    this.consumer = this.kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.changesTopic, fromBeginning: false });
    // No offsets committed: the group needs none (it starts at the end), and without any the broker forgets the
    // group of a gateway that crashed instead of keeping it for the offsets retention period.
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const change = parseChange(message.value);
        if (change) this.onChange(change.aggregateId, change.view);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
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
