/**
 * Runs `task` now and again `everyMs` after each run ends (never two at once: a slow gateway is not piled up on).
 * A task that throws is its own business: it reports its errors itself, the polling goes on.
 */
export class Poller {
  private timer?: number;
  private running = false;

  constructor(
    private readonly everyMs: number,
    private readonly task: () => Promise<void>,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.run();
  }

  stop(): void {
    this.running = false;
    window.clearTimeout(this.timer);
  }

  /** Runs it at once (after a change the operator made), then on the usual rhythm. */
  now(): void {
    if (!this.running) return;
    window.clearTimeout(this.timer);
    void this.run();
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    await this.task().catch(() => undefined);
    if (this.running && this.timer === undefined) this.timer = window.setTimeout(() => void this.run(), this.everyMs);
  }
}
