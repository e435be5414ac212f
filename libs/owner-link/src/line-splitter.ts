/** What `LineSplitter.next` returns once a line is longer than the limit; the splitter stays in that state. */
export const OVERSIZED = Symbol('oversized line');

/**
 * Cuts a byte stream into newline-terminated lines, pulled one at a time so a reader can stop taking lines (to apply
 * backpressure) and take the rest later. Bytes stay Buffers until their newline is found, so a multi-byte UTF-8
 * character split across chunks decodes whole. A line (without its newline) longer than `maxLineBytes`, or an
 * unfinished one already longer, yields OVERSIZED: the peer is broken or hostile and its connection should close.
 */
export class LineSplitter {
  /** Chunks received and not fully scanned; `offset` is where scanning resumes in the first. */
  private chunks: Buffer[] = [];
  private offset = 0;
  /** The start of the current line, from chunks already scanned to their end. */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private oversized = false;

  constructor(private readonly maxLineBytes: number) {}

  push(chunk: Buffer): void {
    if (chunk.length > 0 && !this.oversized) this.chunks.push(chunk);
  }

  /** The next complete line (without its newline), undefined when none is complete yet, or OVERSIZED. */
  next(): string | undefined | typeof OVERSIZED {
    while (!this.oversized && this.chunks.length > 0) {
      const chunk = this.chunks[0];
      const start = this.offset;
      const newline = chunk.indexOf(10, start);
      if (newline === -1) {
        this.partial.push(start === 0 ? chunk : chunk.subarray(start));
        this.partialBytes += chunk.length - start;
        this.dropFirstChunk();
        if (this.partialBytes > this.maxLineBytes) this.overflow();
        continue;
      }
      const lineBytes = this.partialBytes + newline - start;
      if (lineBytes > this.maxLineBytes) {
        this.overflow();
        break;
      }
      let line: string;
      if (this.partial.length === 0) {
        // The common case, a whole line inside one chunk: decoded in place, no copy.
        line = chunk.toString('utf8', start, newline);
      } else {
        this.partial.push(chunk.subarray(start, newline));
        line = Buffer.concat(this.partial, lineBytes).toString('utf8');
        this.partial = [];
        this.partialBytes = 0;
      }
      if (newline + 1 === chunk.length) this.dropFirstChunk();
      else this.offset = newline + 1;
      return line;
    }
    return this.oversized ? OVERSIZED : undefined;
  }

  private dropFirstChunk(): void {
    this.chunks.shift();
    this.offset = 0;
  }

  private overflow(): void {
    this.oversized = true;
    this.chunks = [];
    this.partial = [];
    this.partialBytes = 0;
  }
}
