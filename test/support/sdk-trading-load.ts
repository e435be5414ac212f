import { GameClient } from '@app/sdk';
import { TradingLoad } from './trading-load';

/**
 * SDK clients sending `transfer-gold` of 1 to one another, `lanes` commands at a time each, as fast as the SDK
 * answers (it retries on its own, with the same commandId, through reconnects and moves between gateways). Every
 * acknowledged transfer goes into the ledger; anything the SDK gives up with is an error the caller reads, and ends
 * that client's lane.
 */
export class SdkTradingLoad {
  readonly acked: TradingLoad['acked'] = [];
  readonly errors: string[] = [];
  private running = false;
  private lanes: Promise<void>[] = [];

  constructor(private readonly clients: GameClient[]) {}

  start(lanes: number): void {
    this.running = true;
    this.lanes = this.clients.flatMap((client) => Array.from({ length: lanes }, () => this.lane(client)));
  }

  /** Stops starting transfers and waits until every one begun has an outcome. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.lanes);
  }

  private async lane(client: GameClient): Promise<void> {
    const others = this.clients.filter((other) => other !== client);
    while (this.running) {
      const to = others[Math.floor(Math.random() * others.length)].playerId;
      try {
        await client.transferGold(to, 1);
        this.acked.push({ from: client.playerId, to, amount: 1 });
      } catch (error) {
        // The SDK gave up (it retries whatever may succeed): the lane ends, the caller reads why.
        this.errors.push(`${client.playerId} -> ${to}: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
    }
  }
}
