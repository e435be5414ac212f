import { Injectable } from '@nestjs/common';

/**
 * Whether this process still takes new work, whatever its checks say: a planned stop withdraws it before anything
 * closes, so `GET /health/ready` turns false (load balancers and Kubernetes stop sending it new clients) while the
 * process still answers what it has.
 */
@Injectable()
export class Readiness {
  private reason?: string;

  /** From now on not ready, for `reason` (the first one given is kept). */
  withdraw(reason: string): void {
    this.reason ??= reason;
  }

  /** Why readiness was withdrawn; undefined while it was not. */
  get withdrawnFor(): string | undefined {
    return this.reason;
  }
}
