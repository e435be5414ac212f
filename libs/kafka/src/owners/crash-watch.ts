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
  /** Opens a connection to an advertised `host:port`. */
  connectTo?(address: string): Socket;
  log: { log(message: string): void; warn(message: string): void };
}

interface Watched {
  address: string;
  socket: Socket;
  established: boolean;
}

const connectToAddress = (address: string): Socket => {
  const colon = address.lastIndexOf(':');
  return connect({ host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(colon + 1)) });
};

/**
 * Notices at once when another member of the group dies, and takes it out of the group so its partitions move now
 * rather than when its session times out (10 s by default). Each member holds an idle connection to every other
 * member's advertised address; a process that dies, however it dies, has its sockets closed by its kernel. A member
 * whose connection closed while the group still lists it did not leave (a planned stop leaves the group before it
 * closes its link), so it is evicted. A wrong suspicion (a live member whose connection dropped) costs that member a
 * rejoin and its partitions a handoff, never a second writer: fencing is in the log. A host that vanishes closes
 * nothing, and a stopped process keeps its sockets: those still wait for the session timeout.
 */
export class CrashWatch {
  private readonly watched = new Map<string, Watched>();
  /** Members that could not be reached from here: not tried again (their session timeout still covers them). */
  private readonly unreachable = new Set<string>();
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

  /** Before this process stops: its own planned stop must not look like anyone's crash. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const { socket } of this.watched.values()) socket.destroy();
    this.watched.clear();
    await this.options.evictor.close();
  }

  /** Members watched now (connected or connecting). */
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
      for (const memberId of this.unreachable) if (!present.has(memberId)) this.unreachable.delete(memberId);
      for (const [memberId, { socket }] of this.watched) {
        if (present.has(memberId)) continue;
        this.watched.delete(memberId);
        socket.destroy();
      }
      for (const member of members) {
        if (member.address && member.address !== this.options.self && !this.watched.has(member.memberId) && !this.unreachable.has(member.memberId)) {
          this.watch(member as Required<GroupMember>);
        }
      }
    } catch {
      // The next read tries again; meanwhile the members already watched stay watched.
    } finally {
      this.reading = false;
    }
  }

  private watch({ memberId, address }: Required<GroupMember>): void {
    const socket = (this.options.connectTo ?? connectToAddress)(address);
    const watched: Watched = { address, socket, established: false };
    this.watched.set(memberId, watched);
    socket.once('connect', () => (watched.established = true));
    socket.on('error', () => undefined);
    socket.once('close', () => {
      if (this.watched.get(memberId) !== watched) return;
      this.watched.delete(memberId);
      if (!watched.established) {
        this.unreachable.add(memberId);
        this.options.log.log(`cannot reach member ${memberId} at ${address}: its crash will be noticed at its session timeout only`);
      } else if (!this.stopped) void this.suspect(memberId, address);
    });
  }

  /** The coordinator decides: a member still in the group is taken out, one that left cleanly is unknown to it. */
  private async suspect(memberId: string, address: string): Promise<void> {
    try {
      if (await this.options.evictor.evict(this.options.groupId, memberId)) {
        this.options.log.warn(`member ${memberId} at ${address} dropped its connection without leaving the group: evicted, its partitions move now`);
      }
    } catch (error) {
      this.options.log.warn(`could not evict member ${memberId} at ${address} (its session timeout will): ${error instanceof Error ? error.message : error}`);
    }
  }
}
