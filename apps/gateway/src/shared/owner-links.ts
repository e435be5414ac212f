import { LinkError, OwnerLinkClient } from '@app/owner-link';

/** After failing to connect to an owner, the gateway sends that owner's commands through the topic for this long. */
const UNREACHABLE_FOR_MS = 2_000;

/** What owners tell this gateway unasked, by the address of their link. */
export interface OwnerLinkListener {
  /** A push (a followed aggregate's view); `frameChars`: the length of the frame that carried it. */
  pushed?(address: string, body: unknown, frameChars: number): void;
  /** A connection to `address` that was open closed (the owner went away, or the link was dropped here). */
  disconnected?(address: string): void;
}

/**
 * One persistent connection per owner address (`host:port`), made on first use. An address that refused a connection
 * is left alone for a moment (its commands take the commands topic), so an owner nobody can reach (a wrong advertised
 * host) costs one failed connect now and then, not one per command.
 */
export class OwnerLinks {
  private readonly links = new Map<string, OwnerLinkClient>();
  private readonly unreachableUntil = new Map<string, number>();
  private readonly listeners: OwnerLinkListener[] = [];
  private closed = false;

  /** `secret`: the owners' DIRECT_SECRET, sent with every request; `log`: where a listener that threw is reported. */
  constructor(
    private readonly secret: string | undefined,
    private readonly log: (line: string) => void,
  ) {}

  /** Hears pushes and closed connections of every link, from now on. */
  listen(listener: OwnerLinkListener): void {
    this.listeners.push(listener);
  }

  /** The connection to `address`, or undefined while it is known to be unreachable (or the gateway is stopping). */
  to(address: string): OwnerLinkClient | undefined {
    if (this.closed) return undefined;
    const until = this.unreachableUntil.get(address);
    if (until !== undefined && until > Date.now()) return undefined;
    let link = this.links.get(address);
    if (!link) {
      const separator = address.lastIndexOf(':');
      link = new OwnerLinkClient({
        host: address.slice(0, separator).replace(/^\[|\]$/g, ''),
        port: Number(address.slice(separator + 1)),
        secret: this.secret,
        onPush: (body, frameChars) => this.listeners.forEach((listener) => listener.pushed?.(address, body, frameChars)),
        onDisconnect: () => this.listeners.forEach((listener) => listener.disconnected?.(address)),
        log: this.log,
      });
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
      // Out of the pool before it closes: whoever hears of the close and asks for this address gets a new link.
      this.links.delete(address);
      this.unreachableUntil.delete(address);
      link.close();
    }
  }

  /** For good: the gateway is stopping (whoever hears of the closes makes no new links). */
  closeAll(): void {
    this.closed = true;
    const links = [...this.links.values()];
    this.links.clear();
    for (const link of links) link.close();
  }
}
