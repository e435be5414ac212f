import { WriterFencedError } from '../errors/engine-errors';
import { StreamRecord } from '../ports/event-stream';

/**
 * Proves that an owner's appends count: only its own records may lie between its claim and them, so no newer
 * claim does. An append that starts right where the owner's previous one ended proves it by its offset alone
 * (offsets are consecutive); after a gap (someone else appended in between) the gap is read, and a claim in it
 * fences this owner. Appends must be handed in the order they were made.
 */
export class OwnAppends {
  private next: number;

  constructor(
    private readonly claim: number,
    private readonly label: string,
    /** Reads the records with `from <= offset < to`. */
    private readonly readGap: (from: number, to: number) => Promise<StreamRecord[]>,
  ) {
    this.next = claim + 1;
  }

  /** Resolves once the append at offsets `first..last` is known to count; rejects with WriterFencedError when a newer claim precedes it. */
  async counted(first: number, last: number): Promise<void> {
    if (first < this.next) throw new Error(`${this.label}: append at ${first} overlaps what this owner appended up to ${this.next - 1}`);
    if (first > this.next) {
      const claim = (await this.readGap(this.next, first)).find(({ value }) => isClaim(value));
      if (claim) throw new WriterFencedError(`${this.label}: claimed by a newer owner at offset ${claim.offset} (this owner claimed at ${this.claim})`);
    }
    this.next = last + 1;
  }
}

const TYPED = Buffer.from('{"type":"');
const CLAIM_TYPED = Buffer.from('{"type":"claim"');
const startsWith = (value: Buffer, prefix: Buffer) => value.length >= prefix.length && value.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;

/** Records are written with `type` first: the prefix rules out all but claims (rare) without parsing every record. */
export function isClaim(value: Buffer | null): boolean {
  if (value === null) return false;
  if (startsWith(value, TYPED) && !startsWith(value, CLAIM_TYPED)) return false;
  try {
    return (JSON.parse(value.toString('utf8')) as { type?: unknown }).type === 'claim';
  } catch {
    return false;
  }
}
