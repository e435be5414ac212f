import { DirectOwnerConfig } from '@app/config';
import { DirectAnswer, EngineLogger, PartitionEngine } from '@app/engine';
import { partitionOfKey } from '@app/kafka';
import { OwnerLinkServer } from '@app/owner-link';

/**
 * Takes commands sent straight to this process by gateways (`{ envelope }` over an owner link) and hands each to the
 * engine, for the partition its aggregate belongs to: worked out here, not taken from the sender, so a gateway with a
 * wrong idea of the partitions cannot put an aggregate's state in two partitions.
 */
export class DirectCommandServer {
  private readonly server: OwnerLinkServer;
  private engine?: PartitionEngine<unknown>;
  private partitions?: () => Promise<number>;

  constructor(
    private readonly config: DirectOwnerConfig,
    private readonly logger: EngineLogger,
  ) {
    this.server = new OwnerLinkServer({
      host: config.host,
      port: config.port,
      handle: (body) => this.handle(body),
      log: (line) => logger.warn(line),
    });
  }

  /** Listens, and resolves with the address to advertise (`host:port`). */
  async listen(): Promise<string> {
    const { port } = await this.server.listen();
    const host = this.config.advertisedHost.includes(':') ? `[${this.config.advertisedHost}]` : this.config.advertisedHost;
    return `${host}:${port}`;
  }

  /** From now on commands go to `engine`; until then every one is answered `resend`. */
  serve(engine: PartitionEngine<unknown>, partitions: () => Promise<number>): void {
    this.engine = engine;
    this.partitions = partitions;
  }

  private async handle(body: unknown): Promise<DirectAnswer> {
    const envelope = (body as { envelope?: { aggregateId?: unknown } } | null)?.envelope;
    const aggregateId = envelope?.aggregateId;
    if (!this.engine || !this.partitions) return { kind: 'resend', reason: 'this process is starting' };
    if (typeof aggregateId !== 'string' || aggregateId.length === 0) {
      return { kind: 'outcome', outcome: { ok: false, rejection: { code: 'invalid_payload', message: 'not a command envelope: no aggregateId' } } };
    }
    return this.engine.submit(partitionOfKey(aggregateId, await this.partitions()), envelope);
  }

  /** After the engine stopped (every command it held answered): the last answers go out, then connections close. */
  close(): Promise<void> {
    return this.server.close();
  }
}
