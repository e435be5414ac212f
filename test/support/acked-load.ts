import { randomUUID } from 'node:crypto';
import { Outcome } from '@app/engine';
import { KafkaCommandClient, ReplyTimeoutError } from '@app/kafka';

export interface AckedCommand {
  commandId: string;
  aggregateId: string;
  command: { type: 'deposit'; amount: number } | { type: 'transfer'; to: string; amount: number };
  outcome: Outcome;
}

/**
 * Offered load with a ledger of acknowledgements: keeps `concurrency` commands in flight, retries
 * each with the same commandId until it is acknowledged, and records every outcome.
 */
export class AckedLoad {
  readonly acked: AckedCommand[] = [];
  retries = 0;
  private running = false;
  private workers: Promise<void>[] = [];
  private sequence = 0;

  constructor(
    private readonly client: KafkaCommandClient,
    private readonly commandsTopic: string,
    readonly accounts: string[],
    private readonly tryTimeoutMs = 3_000,
  ) {}

  start(concurrency: number): void {
    this.running = true;
    this.workers = Array.from({ length: concurrency }, () => this.loop());
  }

  /** Stops issuing new commands and waits until every one in flight is acknowledged. */
  async drain(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      // Rounds over every account: two rounds of deposits, then one of transfers to another account.
      const index = this.sequence++;
      const count = this.accounts.length;
      const round = Math.floor(index / count);
      const aggregateId = this.accounts[index % count];
      const command: AckedCommand['command'] =
        round % 3 === 2
          ? { type: 'transfer', to: this.accounts[(index + 1 + (round % (count - 1))) % count], amount: 1 + (index % 5) }
          : { type: 'deposit', amount: 1 + (index % 10) };
      const commandId = randomUUID();
      this.acked.push({ commandId, aggregateId, command, outcome: await this.untilAcked(commandId, aggregateId, command) });
    }
  }

  private async untilAcked(commandId: string, aggregateId: string, command: AckedCommand['command']): Promise<Outcome> {
    for (;;) {
      try {
        return await this.client.send(this.commandsTopic, { commandId, aggregateId, issuedAt: Date.now(), command }, this.tryTimeoutMs);
      } catch (error) {
        if (!(error instanceof ReplyTimeoutError)) throw error;
        this.retries++;
      }
    }
  }

  /** Balances the acknowledgements imply once every transfer's credit has landed. */
  expectedBalances(): Map<string, number> {
    const balances = new Map(this.accounts.map((account) => [account, 0]));
    for (const { aggregateId, command, outcome } of this.acked) {
      if (!outcome.ok) continue;
      if (command.type === 'deposit') balances.set(aggregateId, balances.get(aggregateId)! + command.amount);
      else {
        balances.set(aggregateId, balances.get(aggregateId)! - command.amount);
        balances.set(command.to, balances.get(command.to)! + command.amount);
      }
    }
    return balances;
  }
}
