import { randomBytes } from 'node:crypto';
import { Admin, Kafka } from 'kafkajs';
import { FollowingConsumer } from '@app/kafka';

/**
 * Follows a service's `<prefix><service>.changes` from now on, in a group of its own (every gateway instance
 * sees every change; each pushes to the players connected to it). Views are passed on as read: the listener
 * checks what it expects. It keeps following through a broker restart, from where it was (FollowingConsumer).
 */
export class ChangeFeed {
  private readonly consumer: FollowingConsumer;

  /** `bytes`: the size of the change's record value, for whoever counts traffic; `log`: where rebuilds are told. */
  constructor(
    kafka: Kafka,
    admin: Admin,
    changesTopic: string,
    onChange: (aggregateId: string, view: object, bytes: number) => void,
    log: (line: string) => void,
  ) {
    // No offsets committed: the group needs none (it starts at the end), and without any the broker forgets the
    // group of a gateway that crashed instead of keeping it for the offsets retention period.
    this.consumer = new FollowingConsumer({
      kafka,
      admin,
      group: `${changesTopic}.gateway.${randomBytes(6).toString('hex')}`,
      topic: changesTopic,
      config: { maxWaitTimeInMs: 100 },
      eachMessage: (_partition, message) => {
        const change = parseChange(message.value);
        if (change) onChange(change.aggregateId, change.view, message.value?.length ?? 0);
      },
      log,
    });
  }

  /** Consumers built again after one crashed (for tests and logs). */
  get rebuilt(): number {
    return this.consumer.rebuilt;
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }
}

function parseChange(value: Buffer | null): { aggregateId: string; view: object } | undefined {
  try {
    return readChange(JSON.parse(value?.toString('utf8') ?? ''));
  } catch {
    return undefined;
  }
}

/** A changed view as owners send it (`{ aggregateId, view }`, on the changes topic or pushed over a link), or undefined. */
export function readChange(value: unknown): { aggregateId: string; view: object } | undefined {
  const change = value as { aggregateId?: unknown; view?: unknown } | null;
  return typeof change?.aggregateId === 'string' && typeof change.view === 'object' && change.view !== null
    ? { aggregateId: change.aggregateId, view: change.view }
    : undefined;
}
