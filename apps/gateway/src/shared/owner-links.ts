import { LinkError, OwnerLinkClient } from '@app/owner-link';

/** After failing to connect to an owner, the gateway sends that owner's commands through the topic for this long. */
const UNREACHABLE_FOR_MS = 2_000;

/**
 * One persistent connection per owner address (`host:port`), made on first use. An address that refused a connection
 * is left alone for a moment (its commands take the commands topic), so an owner nobody can reach (a wrong advertised
 * host) costs one failed connect now and then, not one per command.
 */
export class OwnerLinks {
  private readonly links = new Map<string, OwnerLinkClient>();
  private readonly unreachableUntil = new Map<string, number>();

  /** The connection to `address`, or undefined while it is known to be unreachable. */
  to(address: string): OwnerLinkClient | undefined {
    const until = this.unreachableUntil.get(address);
    if (until !== undefined && until > Date.now()) return undefined;
    let link = this.links.get(address);
    if (!link) {
      const separator = address.lastIndexOf(':');
      link = new OwnerLinkClient({ host: address.slice(0, separator).replace(/^\[|\]$/g, ''), port: Number(address.slice(separator + 1)) });
      this.links.set(address, link);
    }
    return link;
  }

  /** Notes how a request to `address` failed: a refused connection makes it unreachable for a while. */
  failed(address: string, error: unknown): void {
    if (error instanceof LinkError && error.reason === 'connect') this.unreachableUntil.set(address, Date.now() + UNREACHABLE_FOR_MS);
  }

  /** Closes the connections to addresses no longer in `current` (owners that left the group). */
  keepOnly(current: ReadonlySet<string>): void {
    for (const [address, link] of this.links) {
      if (current.has(address) || link.inFlight > 0) continue;
      link.close();
      this.links.delete(address);
      this.unreachableUntil.delete(address);
    }
  }

  closeAll(): void {
    for (const link of this.links.values()) link.close();
    this.links.clear();
  }
}
