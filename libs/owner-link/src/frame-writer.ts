import type { Socket } from 'node:net';

/**
 * Coalesces the frames produced while the event loop runs one phase into a single socket.write: under load, answers
 * resolve and requests are made many per loop turn, and one write (one syscall, few TCP segments, with Nagle off)
 * per turn costs far less than one per frame. setImmediate rather than a microtask so frames from every I/O callback
 * of the same poll phase join the batch.
 */
export class FrameWriter {
  private lines: string[] = [];
  private queuedChars = 0;
  private scheduled = false;

  constructor(private readonly socket: Socket) {}

  write(line: string): void {
    this.lines.push(line);
    this.queuedChars += line.length + 1;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Output not yet taken by the kernel (characters queued here count as bytes: close enough for a limit). */
  get unsent(): number {
    return this.queuedChars + this.socket.writableLength;
  }

  /** Writes what is queued now; lines queued after the socket closed are dropped. */
  flush(): void {
    this.scheduled = false;
    if (this.lines.length === 0) return;
    const text = this.lines.join('\n') + '\n';
    this.lines = [];
    this.queuedChars = 0;
    if (this.socket.writable) this.socket.write(text);
  }
}
