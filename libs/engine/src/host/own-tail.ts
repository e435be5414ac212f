import { StreamRecord, WriterFencedError } from '../ports/event-stream';

/**
 * Reads an owner's partition back behind it, from just after its claim. An append counts once it has been
 * read back with no other claim before it; any claim read here is a newer owner's, fencing this one from
 * that offset on (its appends before that claim still count: the newer owner replays them).
 */
export class OwnTail {
  private readThrough: number;
  private foreignClaim?: number;
  private failure?: unknown;
  private waiting: { first: number; last: number; resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(
    private readonly claim: number,
    private readonly label: string,
    private readonly onFenced: (error: WriterFencedError) => void,
  ) {
    this.readThrough = claim;
  }

  /** Takes what the follower delivers. */
  onRecords(records: StreamRecord[]): void {
    for (const { offset, value } of records) {
      if (offset <= this.readThrough) continue;
      this.readThrough = offset;
      if (this.foreignClaim === undefined && isClaim(value)) {
        this.foreignClaim = offset;
        this.onFenced(this.fencedError(offset));
      }
    }
    this.settle();
  }

  /** The follower stopped: nothing waiting can be read back any more. */
  fail(error: unknown): void {
    this.failure ??= error;
    this.settle();
  }

  /** Resolves once offsets `first..last` (one append) are read back and count; rejects when fenced before them or the follower failed. */
  counted(first: number, last: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ first, last, resolve, reject });
      this.settle();
    });
  }

  private settle(): void {
    this.waiting = this.waiting.filter(({ first, last, resolve, reject }) => {
      if (this.foreignClaim !== undefined && this.foreignClaim < first) reject(this.fencedError(this.foreignClaim));
      else if (this.readThrough >= last) resolve();
      else if (this.failure !== undefined) reject(this.failure);
      else return true;
      return false;
    });
  }

  private fencedError(offset: number): WriterFencedError {
    return new WriterFencedError(`${this.label}: claimed by a newer owner at offset ${offset} (this owner claimed at ${this.claim})`);
  }
}

const TYPED = Buffer.from('{"type":"');
const CLAIM_TYPED = Buffer.from('{"type":"claim"');
const startsWith = (value: Buffer, prefix: Buffer) => value.length >= prefix.length && value.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;

/** Records are written with `type` first: the prefix rules out all but claims (rare) without parsing every record. */
function isClaim(value: Buffer | null): boolean {
  if (value === null) return false;
  if (startsWith(value, TYPED) && !startsWith(value, CLAIM_TYPED)) return false;
  try {
    return (JSON.parse(value.toString('utf8')) as { type?: unknown }).type === 'claim';
  } catch {
    return false;
  }
}
