import { DRAINING, DrainingNotice } from '@app/protocol';

/** What the drain needs of a Socket.IO server socket. */
export interface DrainSocket {
  readonly id: string;
  emit(event: 'server:draining', notice: DrainingNotice): unknown;
  /** Middleware for every event the client sends: sees the acknowledgement callback last in `event`. */
  use(middleware: (event: unknown[], next: (error?: Error) => void) => void): unknown;
  once(event: 'disconnect', listener: () => void): unknown;
  /** The connection under the socket: closing it looks like a server gone away, so clients reconnect on their own. */
  readonly conn: { close(): unknown };
}

export interface SocketDrainOptions {
  notice: DrainingNotice;
  /** Longest wait, once clients had their time to move, for a remaining socket's requests to be answered. */
  answerWaitMs: number;
  /** Called first: from then on this process reports itself not ready. */
  withdrawReadiness(): void;
  log(line: string): void;
}

/**
 * A planned stop of the realtime side, in this order: readiness withdrawn; new sockets refused (`connect_error`
 * `draining`, with the notice as its data); every socket told `server:draining` (where to go, when it gets closed);
 * requests go on being answered while clients move; once every client has left, or `notice.closingInMs` passed, each
 * socket left is closed as soon as every request it sent is answered (at most `answerWaitMs` more).
 */
export class SocketDrain {
  private readonly sockets = new Map<string, TrackedSocket>();
  private drained?: Promise<void>;

  constructor(private readonly options: SocketDrainOptions) {}

  get draining(): boolean {
    return this.drained !== undefined;
  }

  /**
   * Socket.IO connection middleware, registered after authentication (so it sees only sockets about to connect):
   * tracks a socket's requests until their acknowledgement, or refuses it once draining.
   */
  admit(socket: DrainSocket, next: (error?: Error) => void): void {
    if (this.draining) return next(Object.assign(new Error(DRAINING), { data: this.options.notice }));
    const tracked = new TrackedSocket(socket);
    this.sockets.set(socket.id, tracked);
    socket.once('disconnect', () => {
      this.sockets.delete(socket.id);
      tracked.left();
    });
    next();
  }

  /** Requests sent on `socketId` and not answered yet. */
  inFlight(socketId: string): number {
    return this.sockets.get(socketId)?.inFlight ?? 0;
  }

  /** Runs the drain once; every later call gets the same promise. */
  drain(): Promise<void> {
    this.drained ??= this.run();
    return this.drained;
  }

  private async run(): Promise<void> {
    const { notice, answerWaitMs, log } = this.options;
    this.options.withdrawReadiness();
    const told = [...this.sockets.values()];
    for (const { socket } of told) socket.emit('server:draining', notice);
    const where = notice.urls.length > 0 ? notice.urls.join(', ') : 'the same address';
    log(`draining: ${told.length} sockets told to move to ${where}; those still here in ${notice.closingInMs} ms get closed`);
    await within(notice.closingInMs, Promise.all(told.map((tracked) => tracked.gone)));
    const staying = [...this.sockets.values()];
    if (staying.length > 0) log(`draining: closing ${staying.length} sockets still here once their requests are answered`);
    await Promise.all(
      staying.map(async (tracked) => {
        await within(answerWaitMs, Promise.race([tracked.answered(), tracked.gone]));
        tracked.socket.conn.close();
      }),
    );
    log('drained: no socket left');
  }
}

/** One connected socket: how many of its requests wait for their acknowledgement, and whether it left. */
class TrackedSocket {
  inFlight = 0;
  readonly gone: Promise<void>;
  left!: () => void;
  private idle: (() => void)[] = [];

  constructor(readonly socket: DrainSocket) {
    this.gone = new Promise((resolve) => (this.left = resolve));
    socket.use((event, next) => {
      const ack = event[event.length - 1];
      if (typeof ack === 'function') event[event.length - 1] = this.counted(ack as (...args: unknown[]) => unknown);
      next();
    });
  }

  /** Resolves once nothing sent on this socket waits for its answer. */
  answered(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  private counted(ack: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
    this.inFlight++;
    let answered = false;
    return (...args) => {
      if (!answered) {
        answered = true;
        if (--this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
      }
      return ack(...args);
    };
  }
}

/** Waits for `promise`, or `ms` at most; leaves no timer behind. */
async function within(ms: number, promise: Promise<unknown>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
