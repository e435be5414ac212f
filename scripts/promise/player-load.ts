import { GameClient, GameError, RETRYABLE_CODES } from '@app/sdk';

/** One acknowledged transfer, as the player who sent it saw it. */
export interface AckedTransfer {
  from: string;
  to: string;
  amount: number;
  sentAt: number;
  ackedAt: number;
}

const RETRY = { attempts: 1_000, giveUpAfterMs: 240_000, baseDelayMs: 100, maxDelayMs: 1_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Players as a game runs them, through the SDK: traders sending gold to one another at a fixed overall rate, walkers
 * moving about `meadow`. Each client knows every gateway, starts on one of them in turn, and moves as the SDK does.
 */
export class PlayerLoad {
  readonly acked: AckedTransfer[] = [];
  readonly refused: Record<string, number> = {};
  /** Commands that ended without a definite answer (the SDK gave up): neither acknowledged nor refused. */
  failed = 0;
  /** Times between two zone ticks a walker received longer than three ticks, and when each ended. */
  readonly tickGaps: { ms: number; endedAt: number }[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  private constructor(
    readonly traders: GameClient[],
    readonly walkers: GameClient[],
  ) {}

  static async connect(gatewayUrls: string[], traders: number, walkers: number, prefix: string): Promise<PlayerLoad> {
    const login = (index: number, kind: string) => {
      const url = gatewayUrls[index % gatewayUrls.length];
      return GameClient.login({ url, urls: gatewayUrls.filter((other) => other !== url), retry: RETRY }, `${kind}_${prefix}_${index}`);
    };
    const tradingClients = await Promise.all(Array.from({ length: traders }, (_, index) => login(index, 't')));
    const walkingClients = await Promise.all(Array.from({ length: walkers }, (_, index) => login(index, 'w')));
    await Promise.all(walkingClients.map((client) => client.joinZone('meadow')));
    return new PlayerLoad(tradingClients, walkingClients);
  }

  /** Starts trading at `commandsPerSecond` in all and walking. */
  start(commandsPerSecond: number): void {
    this.running = true;
    const gapMs = (1_000 * this.traders.length) / commandsPerSecond;
    this.loops = [...this.traders.map((trader) => this.trade(trader, gapMs)), ...this.walkers.map((walker) => this.walk(walker))];
  }

  /** Stops starting commands and waits until every one begun has ended. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  close(): void {
    for (const client of [...this.traders, ...this.walkers]) client.close();
  }

  private async trade(trader: GameClient, gapMs: number): Promise<void> {
    await sleep(Math.random() * gapMs);
    while (this.running) {
      const to = this.traders[Math.floor(Math.random() * this.traders.length)];
      if (to === trader) continue;
      const sentAt = Date.now();
      try {
        await trader.transferGold(to.playerId, 1);
        this.acked.push({ from: trader.playerId, to: to.playerId, amount: 1, sentAt, ackedAt: Date.now() });
      } catch (error) {
        if (error instanceof GameError && !RETRYABLE_CODES.has(error.code)) this.refused[error.code] = (this.refused[error.code] ?? 0) + 1;
        else this.failed++;
      }
      await sleep(Math.max(0, gapMs - (Date.now() - sentAt)));
    }
  }

  private async walk(walker: GameClient): Promise<void> {
    let lastTickAt = Date.now();
    walker.onZone((_zone, tick) => {
      if (!tick) return;
      const now = Date.now();
      if (now - lastTickAt > 300) this.tickGaps.push({ ms: now - lastTickAt, endedAt: now });
      lastTickAt = now;
    });
    while (this.running) {
      const step = () => (Math.floor(Math.random() * 3) - 1) as -1 | 0 | 1;
      walker.move(step(), step());
      await sleep(1_000);
    }
  }
}
