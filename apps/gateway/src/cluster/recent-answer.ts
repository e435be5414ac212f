/**
 * One answer shared by everyone who asks at about the same time: callers that arrive while it is being worked out
 * wait for that same work, and callers that arrive within `maxAgeMs` of its answer get that answer. A failure is
 * shared by those who waited for it but not kept: the next caller tries again.
 */
export class RecentAnswer<T> {
  private inFlight?: Promise<T>;
  private last?: { value: T; at: number };

  constructor(
    private readonly work: () => Promise<T>,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    if (this.inFlight) return this.inFlight;
    if (this.last && this.now() - this.last.at < this.maxAgeMs) return Promise.resolve(this.last.value);
    const started = this.work().then((value) => {
      this.last = { value, at: this.now() };
      return value;
    });
    this.inFlight = started;
    // Cleared whatever the outcome, so a failure is not served again; the caller sees the failure through `started`.
    const clear = () => {
      if (this.inFlight === started) this.inFlight = undefined;
    };
    started.then(clear, clear);
    return started;
  }
}
