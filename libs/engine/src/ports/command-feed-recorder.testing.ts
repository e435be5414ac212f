import { CommandFeed, FeedListener, InboundCommand } from './command-feed';

/** A command as the contract compares it: its offset and its value as text. */
export interface Received {
  offset: number;
  value: string | null;
}

export type FeedEvent = { kind: 'assignment'; partitions: number[] } | { kind: 'commands'; partition: number; commands: Received[]; unfetched: number };

/** Records everything a feed tells its listener, in order; `onCommands` may add behaviour (pausing). */
export class Recorder implements FeedListener {
  readonly events: FeedEvent[] = [];

  constructor(private readonly hook?: (partition: number, commands: Received[], pause: () => () => void) => void) {}

  onAssignment(partitions: number[]): void {
    this.events.push({ kind: 'assignment', partitions: [...partitions] });
  }

  onCommands(partition: number, commands: InboundCommand[], pause: () => () => void, unfetched: number): void {
    const received = commands.map(text);
    this.events.push({ kind: 'commands', partition, commands: received, unfetched });
    this.hook?.(partition, received, pause);
  }

  /** The partitions of the latest `onAssignment`; undefined before the first. */
  latest(): number[] | undefined {
    for (let index = this.events.length - 1; index >= 0; index--) {
      const event = this.events[index];
      if (event.kind === 'assignment') return event.partitions;
    }
    return undefined;
  }

  /** Every command delivered for `partition`, in delivery order, repeats included. */
  received(partition: number): Received[] {
    return this.events.flatMap((event) => (event.kind === 'commands' && event.partition === partition ? event.commands : []));
  }

  has(partition: number, values: string[]): boolean {
    const seen = new Set(this.received(partition).map((command) => command.value));
    return values.every((value) => seen.has(value));
  }
}

/** A started member of the group and what it was told. */
export interface Member {
  feed: CommandFeed;
  recorder: Recorder;
}

export function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

export function same(partitions: number[], expected: number[]): boolean {
  const sorted = [...partitions].sort((a, b) => a - b);
  return sorted.length === expected.length && sorted.every((partition, index) => partition === expected[index]);
}

export function text(command: InboundCommand): Received {
  return { offset: command.offset, value: command.value === null ? null : command.value.toString('utf8') };
}
