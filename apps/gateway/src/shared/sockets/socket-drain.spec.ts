import { DrainingNotice } from '@app/protocol';
import { INVENTORY_TIMEOUT_MS } from '../../inventory/inventory.module';
import { ZONE_TIMEOUT_MS } from '../../zone/zone-connection';
import { DrainSocket, SocketDrain } from './socket-drain';
import { ANSWER_WAIT_MS } from './sockets.module';

/** A server socket as the drain sees it: the test plays its client (requests, leaving) and reads what it was told. */
class FakeSocket implements DrainSocket {
  readonly told: DrainingNotice[] = [];
  closed = false;
  private middleware: ((event: unknown[], next: (error?: Error) => void) => void)[] = [];
  private onDisconnect: (() => void)[] = [];

  constructor(
    readonly id: string,
    private readonly steps: string[],
  ) {}

  readonly conn = {
    close: () => {
      this.closed = true;
      this.steps.push(`closed ${this.id}`);
      this.leave();
    },
  };

  emit(_event: 'server:draining', notice: DrainingNotice): void {
    this.told.push(notice);
    this.steps.push(`told ${this.id}`);
  }

  use(middleware: (event: unknown[], next: (error?: Error) => void) => void): void {
    this.middleware.push(middleware);
  }

  once(_event: 'disconnect', listener: () => void): void {
    this.onDisconnect.push(listener);
  }

  /** The client sends a request with an acknowledgement; returns what answers it, as the handler would. */
  request(): () => void {
    const event: unknown[] = ['inventory:command', {}, () => this.steps.push(`answered ${this.id}`)];
    for (const middleware of this.middleware) middleware(event, () => undefined);
    return event[event.length - 1] as () => void;
  }

  leave(): void {
    for (const listener of this.onDisconnect.splice(0)) listener();
  }
}

const NOTICE: DrainingNotice = { urls: ['http://127.0.0.1:3100'], closingInMs: 10_000 };

function setUp() {
  const steps: string[] = [];
  const drain = new SocketDrain({
    notice: NOTICE,
    answerWaitMs: 5_000,
    withdrawReadiness: () => steps.push('not ready'),
    log: () => undefined,
  });
  const connect = (id: string) => {
    const socket = new FakeSocket(id, steps);
    let refusal: Error | undefined;
    drain.admit(socket, (error) => (refusal = error));
    return { socket, refusal };
  };
  return { steps, drain, connect };
}

describe('the socket drain of a stopping gateway', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('withdraws readiness first, then tells every socket where to go, and refuses new sockets with the same notice', async () => {
    const { steps, drain, connect } = setUp();
    const a = connect('a').socket;
    const b = connect('b').socket;

    const drained = drain.drain();

    expect(steps).toEqual(['not ready', 'told a', 'told b']);
    expect(a.told).toEqual([NOTICE]);
    const { refusal } = connect('late');
    expect(refusal).toMatchObject({ message: 'draining', data: NOTICE });
    a.leave();
    b.leave();
    await drained;
  });

  it('ends as soon as every client has left by itself, closing nothing', async () => {
    const { steps, drain, connect } = setUp();
    const a = connect('a').socket;
    let ended = false;
    const drained = drain.drain().then(() => (ended = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(ended).toBe(false);

    a.leave();
    await drained;
    expect(a.closed).toBe(false);
    expect(steps).toEqual(['not ready', 'told a']);
  });

  it('answers requests sent after the notice, and closes a socket that stayed only once its requests are answered', async () => {
    const { steps, drain, connect } = setUp();
    const staying = connect('staying').socket;
    const idle = connect('idle').socket;
    const before = staying.request();
    const drained = drain.drain();
    const after = staying.request();
    expect(drain.inFlight('staying')).toBe(2);

    await jest.advanceTimersByTimeAsync(NOTICE.closingInMs);
    expect(idle.closed).toBe(true);
    expect(staying.closed).toBe(false);
    before();
    await jest.advanceTimersByTimeAsync(0);
    expect(staying.closed).toBe(false);
    after();
    await drained;

    expect(steps).toEqual(['not ready', 'told staying', 'told idle', 'closed idle', 'answered staying', 'answered staying', 'closed staying']);
  });

  it('counts an acknowledgement once however often the handler calls it', async () => {
    const { drain, connect } = setUp();
    const { socket } = connect('a');
    const ack = socket.request();
    socket.request();
    ack();
    ack();
    expect(drain.inFlight('a')).toBe(1);
    socket.leave();
    await drain.drain();
  });

  it('closes a socket whose requests stay unanswered once the answer wait is over too', async () => {
    const { drain, connect } = setUp();
    const { socket } = connect('stuck');
    socket.request();
    const drained = drain.drain();

    await jest.advanceTimersByTimeAsync(NOTICE.closingInMs);
    expect(socket.closed).toBe(false);
    await jest.advanceTimersByTimeAsync(5_000);
    await drained;
    expect(socket.closed).toBe(true);
  });

  it('drains once, whoever asks', async () => {
    const { steps, drain, connect } = setUp();
    connect('a').socket.leave();
    expect(drain.drain()).toBe(drain.drain());
    await drain.drain();
    expect(steps.filter((step) => step === 'not ready')).toHaveLength(1);
  });

  it("waits for a remaining socket's answers as long as the gateway's longest request may take: a zone join that leaves another zone", () =>
    expect(ANSWER_WAIT_MS).toBeGreaterThanOrEqual(2 * Math.max(INVENTORY_TIMEOUT_MS, ZONE_TIMEOUT_MS)));
});
