import { randomBytes } from 'node:crypto';
import { CommandFeed } from './command-feed';
import { ContractOptions, contractTests, poll as pollFor, within } from './contract-tests.testing';
import { Member, Received, Recorder, range, same } from './command-feed-recorder.testing';

/**
 * A fresh consumer group on a fresh, empty commands topic, plus the probe the contract needs to feed it.
 * Every call of `makeFixture` must give a topic and a group that no other fixture ever used.
 */
export interface CommandFeedFixture {
  /** A new, not yet started member of this fixture's one group on its one commands topic. */
  newFeed(): CommandFeed;
  /** Partitions of the commands topic. At least 2. */
  partitions: number;
  /** Appends raw commands (UTF-8 values) to one partition of the commands topic; resolves with their offsets, in order. */
  append(partition: number, values: string[]): Promise<number[]>;
  /** Stops whatever the feeds left running (a failed test may leave members behind) and deletes the topic and group. */
  close(): Promise<void>;
}

/** Bound of every wait for the group or a delivery; a test that needs longer fails. */
const SETTLE_MS = 20_000;
/** Per-test limit: a few settles in a row, plus fixture setup and teardown. */
const TEST_MS = 60_000;

const poll = <T>(what: string | (() => string), check: () => T | undefined | Promise<T | undefined>): Promise<T> => pollFor(what, check, SETTLE_MS);

/**
 * What every `CommandFeed` adapter must do, as a jest suite: call it from the adapter's own spec with a
 * factory for a fixture on a fresh topic and group. Each test gets its own fixture.
 *
 * Nothing here commits offsets (that is not the feed's job), so a partition that moves to another member is
 * delivered there from the beginning of the topic; the tests only look for what they appended after the move.
 */
export function commandFeedContract(name: string, makeFixture: () => Promise<CommandFeedFixture>, options: ContractOptions = {}): void {
  const { it, checkKnownDefects } = contractTests(name, options, TEST_MS);

  describe(`${name} (CommandFeed contract)`, () => {
    let fixture: CommandFeedFixture | undefined;
    let started: CommandFeed[] = [];

    const f = (): CommandFeedFixture => {
      if (!fixture) throw new Error('makeFixture() did not produce a fixture');
      return fixture;
    };
    const all = (): number[] => range(f().partitions);

    /** A new member of the group, started with a recording listener. */
    const join = async (hook?: (partition: number, commands: Received[], pause: () => () => void) => void): Promise<Member> => {
      const feed = f().newFeed();
      const recorder = new Recorder(hook);
      started.push(feed);
      await within(SETTLE_MS, 'start()', () => feed.start(recorder));
      return { feed, recorder };
    };

    /** Appends tagged values and returns them as the contract expects to receive them. */
    const append = async (partition: number, tag: string, count: number): Promise<Received[]> => {
      const values = range(count).map((index) => `${tag}-${index}-${randomBytes(3).toString('hex')}`);
      const offsets = await f().append(partition, values);
      expect(offsets).toHaveLength(count);
      return values.map((value, index) => ({ offset: offsets[index], value }));
    };

    const assignedAll = (member: Member, who = 'the member'): Promise<number[]> =>
      poll(
        () => `${who} to be assigned every partition (latest: ${JSON.stringify(member.recorder.latest())})`,
        () => {
          const latest = member.recorder.latest();
          return latest !== undefined && same(latest, all()) ? latest : undefined;
        },
      );

    /** Waits until both members' latest assignments split the partitions between them. */
    const split = (a: Member, b: Member): Promise<[number[], number[]]> =>
      poll(
        () => `two members to split the partitions (latest: ${JSON.stringify([a.recorder.latest(), b.recorder.latest()])})`,
        () => {
          const [ofA, ofB] = [a.recorder.latest(), b.recorder.latest()];
          if (ofA === undefined || ofB === undefined) return undefined;
          const disjoint = ofA.every((partition) => !ofB.includes(partition));
          return disjoint && same([...ofA, ...ofB], all()) ? ([ofA, ofB] as [number[], number[]]) : undefined;
        },
      );

    /** Waits until every one of `commands` has been delivered to `member` (the test then checks order and repeats). */
    const delivered = (member: Member, partition: number, commands: Received[], what: string): Promise<true> => {
      const values = commands.map((command) => command.value ?? '');
      return poll(`${what} on partition ${partition}`, () => member.recorder.has(partition, values) || undefined);
    };

    const stillOwned = (member: Member, partition: number): Promise<boolean> =>
      within(SETTLE_MS, `stillOwned(${partition})`, () => member.feed.stillOwned(partition));

    beforeEach(async () => {
      fixture = await makeFixture();
      expect(fixture.partitions).toBeGreaterThanOrEqual(2);
    });

    afterEach(async () => {
      const stopping = started;
      started = [];
      await Promise.all(stopping.map((feed) => within(SETTLE_MS, 'stop()', () => feed.stop()).catch(() => undefined)));
      await fixture?.close();
      fixture = undefined;
    });

    it('assigns a lone member every partition and delivers what was appended before and after it started, in order, exactly once', async () => {
      const before = await Promise.all(all().map((partition) => append(partition, `before-p${partition}`, 3)));
      const member = await join();

      expect(await assignedAll(member)).toEqual(all());
      const after = await Promise.all(all().map((partition) => append(partition, `after-p${partition}`, 2 + partition)));
      const expected = all().map((partition) => [...before[partition], ...after[partition]]);
      for (const partition of all()) await delivered(member, partition, expected[partition], 'every command');

      for (const partition of all()) expect(member.recorder.received(partition)).toEqual(expected[partition]);
      // Commands of a partition only ever come while the latest assignment holds it.
      let owned: number[] = [];
      const unowned: { partition: number; owned: number[] }[] = [];
      for (const event of member.recorder.events) {
        if (event.kind === 'assignment') owned = event.partitions;
        else if (!owned.includes(event.partition)) unowned.push({ partition: event.partition, owned });
      }
      expect(unowned).toEqual([]);
      // Each delivery says how much of its partition was not fetched yet: nothing, once the last command came.
      for (const partition of all()) {
        const deliveries = member.recorder.events.filter((event) => event.kind === 'commands' && event.partition === partition);
        expect(deliveries.every((event) => event.kind === 'commands' && Number.isInteger(event.unfetched) && event.unfetched >= 0)).toBe(true);
        expect(deliveries.at(-1)).toMatchObject({ unfetched: 0 });
      }
    });

    it('delivers a partition again from the offset it is rewound to, and no other partition', async () => {
      const member = await join();
      await assignedAll(member);
      const zero = await append(0, 'zero', 5);
      const one = await append(1, 'one', 3);
      await delivered(member, 0, zero, 'the first five');
      await delivered(member, 1, one, 'the first three');

      member.feed.rewind(0, zero[2].offset);
      await poll('offsets 2..4 of partition 0 to come again', () => (member.recorder.received(0).length >= zero.length + 3 ? true : undefined));
      // Later commands on both partitions: once they are in, any extra repeat would be too.
      const zeroLater = await append(0, 'zero-later', 1);
      const oneLater = await append(1, 'one-later', 1);
      await delivered(member, 0, zeroLater, 'a later command');
      await delivered(member, 1, oneLater, 'a later command');

      expect(member.recorder.received(0)).toEqual([...zero, ...zero.slice(2), ...zeroLater]);
      expect(member.recorder.received(1)).toEqual([...one, ...oneLater]);
    });

    it('stops delivering a paused partition until it is resumed, losing nothing, while other partitions flow', async () => {
      // The last of the first three commands pauses the partition, in the very delivery that brings it.
      const trigger = 'before-pause-2-';
      let resume: (() => void) | undefined;
      const member = await join((partition, commands, pause) => {
        if (partition === 0 && !resume && commands.some((command) => command.value?.startsWith(trigger))) resume = pause();
      });
      await assignedAll(member);
      const first = await append(0, 'before-pause', 3);
      await delivered(member, 0, first, 'the batch that pauses');
      expect(resume).toBeInstanceOf(Function);

      // Appended while paused: partition 0 first, then partition 1, whose delivery shows the feed fetched past them.
      const held = await append(0, 'while-paused', 3);
      const flowing = await append(1, 'flowing', 2);
      await delivered(member, 1, flowing, 'the other partition');
      expect(member.recorder.received(0)).toEqual(first);

      resume!();
      await delivered(member, 0, held, 'what was held back');
      const later = await append(0, 'after-resume', 2);
      await delivered(member, 0, later, 'commands after the resume');

      expect(member.recorder.received(0)).toEqual([...first, ...held, ...later]);
      expect(member.recorder.received(1)).toEqual(flowing);
    });

    it('confirms ownership to a member in the group, and denies it once the member stops', async () => {
      const member = await join();
      await assignedAll(member);

      expect(await Promise.all(all().map((partition) => stillOwned(member, partition)))).toEqual(all().map(() => true));

      // Asked while the member is still in the group: a heartbeat during the stop may rightly answer true,
      // but the stop must answer it at the latest, never leave it hanging.
      const pending = member.feed.stillOwned(0);
      await within(SETTLE_MS, 'stop()', () => member.feed.stop());
      expect(typeof (await within(SETTLE_MS, 'stillOwned(0) across stop()', () => pending))).toBe('boolean');
      // And asked after the stop.
      expect(await stillOwned(member, 1)).toBe(false);
    });

    it('splits the partitions between two members, and gives them all to the one left when the other stops', async () => {
      const first = await join();
      await assignedAll(first, 'the first member');
      const second = await join();

      const [ofFirst, ofSecond] = await split(first, second);
      expect(ofFirst.length).toBeGreaterThan(0);
      expect(ofSecond.length).toBeGreaterThan(0);

      await within(SETTLE_MS, 'stop()', () => first.feed.stop());

      expect(await assignedAll(second, 'the remaining member')).toEqual(all());
    });

    it('denies ownership of a partition the member lost in a rebalance, and confirms what it kept', async () => {
      const first = await join();
      await assignedAll(first, 'the first member');
      const second = await join();
      const [kept, lost] = await split(first, second);

      const answers = await Promise.all([
        ...lost.map(async (partition) => ({ member: 'first', partition, owned: await stillOwned(first, partition) })),
        ...kept.map(async (partition) => ({ member: 'first', partition, owned: await stillOwned(first, partition) })),
        ...lost.map(async (partition) => ({ member: 'second', partition, owned: await stillOwned(second, partition) })),
      ]);

      expect(answers).toEqual([
        ...lost.map((partition) => ({ member: 'first', partition, owned: false })),
        ...kept.map((partition) => ({ member: 'first', partition, owned: true })),
        ...lost.map((partition) => ({ member: 'second', partition, owned: true })),
      ]);
    });

    it('delivers nothing more to a member that stopped; the member left gets those commands', async () => {
      const leaving = await join();
      await assignedAll(leaving, 'the first member');
      const staying = await join();
      await split(leaving, staying);

      await within(SETTLE_MS, 'stop()', () => leaving.feed.stop());
      const eventsAtStop = leaving.recorder.events.length;
      await assignedAll(staying, 'the remaining member');
      const after = await Promise.all(all().map((partition) => append(partition, `after-stop-p${partition}`, 2)));
      for (const partition of all()) await delivered(staying, partition, after[partition], 'commands appended after the stop');

      expect(leaving.recorder.events.slice(eventsAtStop)).toEqual([]);
      for (const partition of all()) {
        const values = after[partition].map((command) => command.value);
        expect(staying.recorder.received(partition).filter((command) => values.includes(command.value))).toEqual(after[partition]);
      }
    });
  });

  checkKnownDefects();
}
