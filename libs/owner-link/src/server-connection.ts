import { timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import { FrameWriter } from './frame-writer';
import { checkedFrame, encodeFrame, orNull, parseRequest, RequestFrame } from './frames';
import { LineSplitter, OVERSIZED } from './line-splitter';

/** One accepted connection, as the handler sees it: who asked, and a way to tell them things unasked. */
export interface LinkPeer {
  readonly id: number;
  /**
   * Sends a push; false (and nothing sent) when the connection is closed, its unsent output is over the limit (a
   * peer that does not read loses pushes rather than growing our memory) or the body cannot travel.
   */
  push(body: unknown): boolean;
  /**
   * `push` of a body already serialized (JSON.stringify's output, which holds no raw newline): one text sent to many
   * peers is not stringified again for each. False, as push, and also for text holding a newline, which would break
   * the frame.
   */
  pushJson(json: string): boolean;
  /** Called once the connection closed (at once, on a later microtask, when it already has). */
  onClose(listener: () => void): void;
}

export type LinkHandler = (body: unknown, peer: LinkPeer) => Promise<unknown>;

export interface ConnectionLimits {
  maxPending: number;
  maxFrameBytes: number;
  maxOutputBytes: number;
  /** When set, a request is handled only if it carries this secret; others are answered `unauthorized`. */
  secret?: Buffer;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Compared in constant time, so the answer's timing does not tell how much of a guess was right. */
function sameSecret(secret: Buffer, token: string | undefined): boolean {
  const given = Buffer.from(token ?? '', 'utf8');
  return given.length === secret.length && timingSafeEqual(given, secret);
}

/**
 * The server side of one connection: reads requests, runs the handler on each, writes answers in any order.
 * Backpressure: past `maxPending` unanswered requests, or when the peer does not read its answers (output over
 * `maxOutputBytes`), it stops reading the socket, so TCP slows the sender down instead of a queue growing here.
 */
export class ServerConnection implements LinkPeer {
  private readonly splitter: LineSplitter;
  private readonly writer: FrameWriter;
  private pending = 0;
  private paused = false;
  /** The server is closing: no new request is handled, the ones running are still answered. */
  private stopped = false;
  private closed = false;
  private closeListeners: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly handle: LinkHandler,
    private readonly limits: ConnectionLimits,
    private readonly log: (line: string) => void,
  ) {
    this.splitter = new LineSplitter(limits.maxFrameBytes);
    this.writer = new FrameWriter(socket);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (this.stopped) return;
      this.splitter.push(chunk);
      this.takeRequests();
    });
    socket.on('drain', () => this.resumeIfDrained());
    // ECONNRESET, EPIPE and the like are a peer going away: the 'close' that follows does the cleaning up.
    socket.on('error', () => undefined);
    socket.on('close', () => this.onSocketClose());
  }

  push(body: unknown): boolean {
    if (this.closed || this.writer.unsent > this.limits.maxOutputBytes) return false;
    let line: string;
    try {
      line = encodeFrame({ p: orNull(body) }, this.limits.maxFrameBytes);
    } catch {
      return false;
    }
    this.writer.write(line);
    return true;
  }

  pushJson(json: string): boolean {
    if (this.closed || this.writer.unsent > this.limits.maxOutputBytes || json.length === 0 || json.includes('\n')) return false;
    let line: string;
    try {
      line = checkedFrame(`{"p":${json}}`, this.limits.maxFrameBytes);
    } catch {
      return false;
    }
    this.writer.write(line);
    return true;
  }

  onClose(listener: () => void): void {
    if (this.closed) queueMicrotask(() => this.notify(listener));
    else this.closeListeners.push(listener);
  }

  /** Server closing: handles nothing new (lines already read are dropped unhandled; their senders see 'closed'). */
  stopReading(): void {
    this.stopped = true;
    this.socket.pause();
  }

  /** Resolves once no request is being handled (or the connection closed). */
  whenIdle(): Promise<void> {
    if (this.pending === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Writes what is queued and closes our side; reads again (discarding) so the peer's own close is seen. */
  end(): void {
    this.writer.flush();
    this.socket.end();
    this.socket.resume();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private takeRequests(): void {
    while (!this.closed && !this.stopped && !this.full()) {
      const line = this.splitter.next();
      if (line === undefined) return;
      const request = line === OVERSIZED ? undefined : parseRequest(line);
      // A peer that breaks the protocol is a bug on its side; its connection is all it loses.
      if (request === undefined) return this.destroy();
      this.run(request);
    }
    if (this.full() && !this.paused && !this.closed) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private full(): boolean {
    return this.pending >= this.limits.maxPending || this.writer.unsent > this.limits.maxOutputBytes;
  }

  private run({ id, body, token }: RequestFrame): void {
    if (this.limits.secret && !sameSecret(this.limits.secret, token)) return this.answerError(id, 'unauthorized: wrong or missing link secret');
    this.pending++;
    let result: Promise<unknown>;
    try {
      result = Promise.resolve(this.handle(body, this));
    } catch (error) {
      result = Promise.reject(error);
    }
    void result.then(
      (answer) => this.answer(id, answer),
      (error: unknown) => this.answerError(id, messageOf(error)),
    );
  }

  private answer(id: number, body: unknown): void {
    let line: string;
    try {
      line = encodeFrame({ i: id, a: orNull(body) }, this.limits.maxFrameBytes);
    } catch (error) {
      // The asker still gets an answer for this id: one that says why the real one could not be sent.
      return this.answerError(id, `the answer cannot be sent: ${messageOf(error)}`);
    }
    this.settle(line);
  }

  private answerError(id: number, message: string): void {
    // Trimmed so an error answer always fits in a frame.
    this.settle(JSON.stringify({ i: id, e: message.length > 1000 ? message.slice(0, 1000) + '...' : message }));
  }

  /** Answers are written even over the output limit: they are what the peer waits for, and bounded by maxPending. */
  private settle(line: string): void {
    this.pending--;
    if (this.closed) return;
    this.writer.write(line);
    this.resumeIfDrained();
    if (this.pending === 0) this.wakeIdleWaiters();
  }

  /** Resumes at half the limits, not just under them, so reading does not flip on and off at every answer. */
  private resumeIfDrained(): void {
    if (!this.paused || this.closed) return;
    if (this.pending > this.limits.maxPending / 2 || this.writer.unsent > this.limits.maxOutputBytes / 2) return;
    this.paused = false;
    this.takeRequests(); // lines read before the pause come first
    if (!this.paused && !this.stopped && !this.closed) this.socket.resume();
  }

  private onSocketClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.wakeIdleWaiters();
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const listener of listeners) this.notify(listener);
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /** A listener that throws is a bug of its own; it must not take the socket's event handler (or the process) down. */
  private notify(listener: () => void): void {
    try {
      listener();
    } catch (error) {
      this.log(`[owner-link] a close listener of peer ${this.id} threw: ${messageOf(error)}`);
    }
  }
}
