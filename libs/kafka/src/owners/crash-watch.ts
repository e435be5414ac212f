import { connect, Socket } from 'node:net';
import { Admin } from 'kafkajs';
import { GroupEvictor } from './group-evictor';
import { GroupMember, readGroup } from './group-members';

export interface CrashWatchOptions {
  admin: Admin;
  groupId: string;
  /** The address this process advertises: itself, not watched. */
  self: string;
  evictor: GroupEvictor;
  /** How often the group is read again for members to watch. */
  refreshEveryMs?: number;
  /** Dials after a watched connection closed, before the member is taken for dead (default 2). */
  confirmAttempts?: number;
  /** How long each of those dials may take to connect (default 300 ms). */
  confirmTimeoutMs?: number;
  /** How long after failing to reach a member it is dialled again, while it stays in the group (default 5 s). */
  retryUnreachableEveryMs?: number;
  /** Opens a connection to an advertised `host:port`. */
  connectTo?(address: string): Socket;
  log: { log(message: string): void; warn(message: string): void };
}

interface Watched {
  address: string;
  /** The connection held now, or being dialled while a closed one is confirmed. */
  socket: Socket;
  established: boolean;
}

const connectToAddress = (address: string): Socket => {
  const colon = address.lastIndexOf(':');
  return connect({ host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(colon + 1)) });
};

/** Whether the socket connects within `ms`; one that does not is destroyed. */
function connectsWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (connected: boolean) => {
      clearTimeout(timer);
      socket.off('connect', onConnect).off('close', onClose);
      if (!connected) socket.destroy();
      resolve(connected);
    };
    const onConnect = () => settle(true);
    const onClose = () => settle(false);
    const timer = setTimeout(() => settle(false), ms);
    socket.on('error', () => undefined);
    socket.once('connect', onConnect).once('close', onClose);
  });
}

/**
 * Notices at once when another member of the group dies, and takes it out of the group so its partitions move now
 * rather than when its session times out (10 s by default). Each member holds an idle connection to every other
 * member's advertised address; a process that dies, however it dies, has its sockets closed by its kernel. A member
 * whose connection closed while the group still lists it did not leave (a planned stop leaves the group before it
 * closes its link); its address is dialled again at once, and only when that fails too (refused, as a dead process's
 * port is at once, reset or timed out) is it evicted: a connection dropped between two live processes (a proxy, a NAT,
 * an idle timeout) is replaced, not taken for a crash. A wrong suspicion still costs that member a rejoin and its
 * partitions a handoff, never a second writer: fencing is in the log. A host that vanishes closes nothing, and a
 * stopped process keeps its sockets: those still wait for the session timeout.
 */
export class CrashWatch {
  private readonly watched = new Map<string, Watched>();
  /** Members the last dial could not reach, with when to dial them again (their session timeout covers them meanwhile). */
  private readonly unreachable = new Map<string, number>();
  /** Members whose unreachability was logged: once while they stay in the group, however many dials fail. */
  private readonly reported = new Set<string>();
  private timer?: NodeJS.Timeout;
  private reading = false;
  private stopped = false;

  constructor(private readonly options: CrashWatchOptions) {}

  start(): void {
    this.options.evictor.prepare(this.options.groupId).catch(() => undefined);
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.refreshEveryMs ?? 1_000);
    this.timer.unref();
  }

  /** Once this process has left the group: the connections it closes then are its own, and evict nobody. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const { socket } of this.watched.values()) socket.destroy();
    this.watched.clear();
    await this.options.evictor.close();
  }

  /** Members watched now (connected, connecting, or being confirmed after their connection closed). */
  get watching(): number {
    return this.watched.size;
  }

  private async refresh(): Promise<void> {
    if (this.reading || this.stopped) return;
    this.reading = true;
    try {
      const { members } = await readGroup(this.options.admin, this.options.groupId);
      if (this.stopped) return;
      const present = new Set(members.map(({ memberId }) => memberId));
      for (const memberId of this.unreachable.keys()) if (!present.has(memberId)) this.unreachable.delete(memberId);
      for (const memberId of this.reported) if (!present.has(memberId)) this.reported.delete(memberId);
      for (const [memberId, { socket }] of this.watched) {
        if (present.has(memberId)) continue;
        this.watched.delete(memberId);
        socket.destroy();
      }
      const now = Date.now();
      for (const member of members) {
        if (!member.address || member.address === this.options.self || this.watched.has(member.memberId)) continue;
        if ((this.unreachable.get(member.memberId) ?? now) > now) continue;
        this.unreachable.delete(member.memberId);
        this.watch(member as Required<GroupMember>);
      }
    } catch {
      // The next read tries again; meanwhile the members already watched stay watched.
    } finally {
      this.reading = false;
    }
  }

  private watch({ memberId, address }: Required<GroupMember>): void {
    const watched: Watched = { address, socket: this.dial(address), established: false };
    this.watched.set(memberId, watched);
    watched.socket.once('connect', () => {
      watched.established = true;
      if (this.reported.has(memberId)) this.options.log.log(`reached member ${memberId} at ${address} after all: watched`);
    });
    this.follow(memberId, watched);
  }

  /** Reacts to the close of the connection `watched` holds now (a connection it no longer holds is ignored). */
  private follow(memberId: string, watched: Watched): void {
    const { socket } = watched;
    socket.on('error', () => undefined);
    socket.once('close', () => {
      if (this.stopped || this.watched.get(memberId) !== watched || watched.socket !== socket) return;
      if (watched.established) {
        void this.confirm(memberId, watched);
        return;
      }
      this.watched.delete(memberId);
      this.unreachable.set(memberId, Date.now() + (this.options.retryUnreachableEveryMs ?? 5_000));
      if (this.reported.has(memberId)) return;
      this.reported.add(memberId);
      this.options.log.log(
        `cannot reach member ${memberId} at ${watched.address}: tried again every few seconds; until then its crash is noticed at its session timeout only`,
      );
    });
  }

  /**
   * A closed connection is a crash only if the member's address no longer answers. Dialled at once, since a dead
   * process's port refuses at once; a dial that connects is watched instead, and the member kept.
   */
  private async confirm(memberId: string, watched: Watched): Promise<void> {
    const attempts = this.options.confirmAttempts ?? 2;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const socket = this.dial(watched.address);
      // Held where `stop` and `refresh` find it: either ends the confirmation by destroying it.
      watched.socket = socket;
      const connected = await connectsWithin(socket, this.options.confirmTimeoutMs ?? 300);
      if (this.stopped || this.watched.get(memberId) !== watched) {
        socket.destroy();
        return;
      }
      if (connected) {
        this.options.log.log(`the connection to member ${memberId} at ${watched.address} closed but it still answers: watched again, not evicted`);
        this.follow(memberId, watched);
        return;
      }
    }
    this.watched.delete(memberId);
    await this.suspect(memberId, watched.address);
  }

  /** The coordinator decides: a member still in the group is taken out, one that left cleanly is unknown to it. */
  private async suspect(memberId: string, address: string): Promise<void> {
    if (this.stopped) return;
    try {
      if (await this.options.evictor.evict(this.options.groupId, memberId)) {
        this.options.log.warn(`member ${memberId} at ${address} dropped its connection without leaving the group: evicted, its partitions move now`);
      }
    } catch (error) {
      if (this.stopped) return;
      this.options.log.warn(`could not evict member ${memberId} at ${address} (its session timeout will): ${error instanceof Error ? error.message : error}`);
    }
  }

  private dial(address: string): Socket {
    return (this.options.connectTo ?? connectToAddress)(address);
  }
}
