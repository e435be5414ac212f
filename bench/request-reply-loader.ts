import { randomUUID } from 'node:crypto';
import { Consumer, Kafka, Partitioners, Producer } from 'kafkajs';
import { percentile } from './bench-support';

/**
 * Drives any request/reply pipeline over Kafka: writes JSON command envelopes to an input topic
 * and matches replies (records carrying `commandId`) read from an output topic. The same loader
 * measures the engine and the raw baseline, so their figures compare.
 */
export class RequestReplyLoader {
  private producer!: Producer;
  private consumer!: Consumer;
  private readonly pending = new Map<string, { sentAt: number; resolve: () => void }>();
  readonly latencies: number[] = [];
  private recording = true;

  constructor(
    private readonly kafka: Kafka,
    private readonly inputTopic: string,
    private readonly outputTopic: string,
    private readonly replyTo: { topic: string; partition: number } | undefined,
  ) {}

  async start(): Promise<void> {
    this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: `loader-${randomUUID()}`, maxWaitTimeInMs: 50 });
    let joined!: () => void;
    const ready = new Promise<void>((resolve) => (joined = resolve));
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => joined());
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.outputTopic, fromBeginning: true });
    await this.consumer.run({
      eachBatch: async ({ batch }) => {
        const now = performance.now();
        for (const message of batch.messages) {
          const { commandId } = JSON.parse(message.value!.toString()) as { commandId: string };
          const entry = this.pending.get(commandId);
          if (!entry) continue;
          this.pending.delete(commandId);
          if (this.recording) this.latencies.push(now - entry.sentAt);
          entry.resolve();
        }
      },
    });
    await ready;
  }

  /** Sends `count` deposit commands in one produce request; resolves when all are sent. */
  async sendBatch(count: number, accounts: number, onReply: () => void): Promise<void> {
    const messages = [];
    const sentAt = performance.now();
    for (let index = 0; index < count; index++) {
      const commandId = randomUUID();
      const aggregateId = `acct-${Math.floor(Math.random() * accounts)}`;
      this.pending.set(commandId, { sentAt, resolve: onReply });
      messages.push({
        key: aggregateId,
        value: JSON.stringify({ commandId, aggregateId, issuedAt: Date.now(), replyTo: this.replyTo, command: { type: 'deposit', amount: 1 } }),
      });
    }
    await this.producer.send({ topic: this.inputTopic, acks: -1, messages });
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Closed loop: keeps `window` commands outstanding until `total` are acknowledged; returns acks/s. */
  async saturate(total: number, window: number, accounts: number): Promise<number> {
    this.recording = false;
    let acked = 0;
    let sent = 0;
    let wake: () => void = () => undefined;
    const onReply = () => {
      acked++;
      wake();
    };
    const started = performance.now();
    while (acked < total) {
      if (sent < total && this.pending.size < window) {
        const count = Math.min(window - this.pending.size, 500, total - sent);
        sent += count;
        await this.sendBatch(count, accounts, onReply);
      } else {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
    }
    return total / ((performance.now() - started) / 1000);
  }

  /** Open loop at a fixed offered rate; returns latency percentiles (ms) after a warm-up. */
  async fixedRate(
    perSecond: number,
    seconds: number,
    warmupSeconds: number,
    accounts: number,
  ): Promise<{ p50: number; p99: number; samples: number; lost: number }> {
    const tickMs = 10;
    const perTick = Math.max(1, Math.round((perSecond * tickMs) / 1000));
    const ticks = Math.round(((seconds + warmupSeconds) * 1000) / tickMs);
    const warmupTicks = Math.round((warmupSeconds * 1000) / tickMs);
    const started = performance.now();
    for (let tick = 0; tick < ticks; tick++) {
      if (tick === warmupTicks) {
        this.latencies.length = 0;
        this.recording = true;
      } else if (tick < warmupTicks) this.recording = false;
      await this.sendBatch(perTick, accounts, () => undefined);
      const next = started + (tick + 1) * tickMs;
      const wait = next - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const deadline = performance.now() + 10_000;
    while (this.pending.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return { p50: percentile(this.latencies, 0.5), p99: percentile(this.latencies, 0.99), samples: this.latencies.length, lost: this.pending.size };
  }

  async stop(): Promise<void> {
    await Promise.all([this.consumer.disconnect(), this.producer.disconnect()]);
  }
}
