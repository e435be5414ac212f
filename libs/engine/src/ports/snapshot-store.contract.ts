import { createHash, randomBytes } from 'node:crypto';
import { Snapshot, SnapshotStore } from './snapshot-store';

export interface SnapshotStoreHandle {
  store: SnapshotStore;
  close(): Promise<void>;
}

/**
 * What every `SnapshotStore` adapter must do, as a jest suite: call it from the adapter's own
 * spec with a factory for a ready store. Every test works in freshly random stream names, so
 * runs against a shared, persistent backend never see each other's rows.
 *
 * Out of scope, because no text column can hold them: U+0000 and lone UTF-16 surrogates in `state`.
 */
export function snapshotStoreContract(name: string, makeStore: () => Promise<SnapshotStoreHandle>): void {
  describe(`${name} (SnapshotStore contract)`, () => {
    let handle: SnapshotStoreHandle | undefined;
    const store = (): SnapshotStore => {
      if (!handle) throw new Error('makeStore() did not produce a store');
      return handle.store;
    };

    beforeAll(async () => {
      handle = await makeStore();
    });

    afterAll(async () => {
      await handle?.close();
    });

    it('returns a saved snapshot exactly as it was saved', async () => {
      const stream = randomStream();
      const saved = snapshot(stream, 3, 41);

      await store().save(saved);

      expect(await store().latest(stream, 3, 10)).toStrictEqual([saved]);
    });

    it('returns offsets beyond 32 bits as the same numbers', async () => {
      const stream = randomStream();
      const big = snapshot(stream, 0, 2 ** 40 + 7);
      const biggest = snapshot(stream, 0, Number.MAX_SAFE_INTEGER);

      await store().save(big);
      await store().save(biggest);

      expect(await store().latest(stream, 0, 10)).toStrictEqual([biggest, big]);
    });

    it('lists newest first by numeric offset and respects the limit', async () => {
      const stream = randomStream();
      // Saved out of order, and with offsets whose text order differs from their numeric order.
      for (const offset of [9, 100, 10, 2, 1000]) await store().save(snapshot(stream, 0, offset));

      expect(offsets(await store().latest(stream, 0, 10))).toEqual([1000, 100, 10, 9, 2]);
      expect(offsets(await store().latest(stream, 0, 2))).toEqual([1000, 100]);
      expect(offsets(await store().latest(stream, 0, 1))).toEqual([1000]);
      expect(await store().latest(stream, 0, 0)).toEqual([]);
    });

    it('keeps streams and partitions apart', async () => {
      const stream = randomStream();
      const other = randomStream();
      const prefixed = `${stream}-more`; // a name that merely starts with `stream`
      const own = [snapshot(stream, 0, 5), snapshot(stream, 0, 6)];
      const otherPartition = snapshot(stream, 1, 7);
      const otherStream = snapshot(other, 0, 8);
      const prefixedStream = snapshot(prefixed, 0, 9);
      for (const each of [...own, otherPartition, otherStream, prefixedStream]) await store().save(each);

      expect(await store().latest(stream, 0, 10)).toStrictEqual([own[1], own[0]]);
      expect(await store().latest(stream, 1, 10)).toStrictEqual([otherPartition]);
      expect(await store().latest(other, 0, 10)).toStrictEqual([otherStream]);
      expect(await store().latest(prefixed, 0, 10)).toStrictEqual([prefixedStream]);

      await store().prune(stream, 0, 0);

      expect(await store().latest(stream, 0, 10)).toEqual([]);
      expect(await store().latest(stream, 1, 10)).toStrictEqual([otherPartition]);
      expect(await store().latest(other, 0, 10)).toStrictEqual([otherStream]);
      expect(await store().latest(prefixed, 0, 10)).toStrictEqual([prefixedStream]);
    });

    it('overwrites a snapshot saved again at the same offset', async () => {
      const stream = randomStream();
      const first = snapshot(stream, 2, 50, { schemaVersion: 1, stateHash: 'hash-first', state: '{"v":"first"}' });
      const second = snapshot(stream, 2, 50, { schemaVersion: 2, stateHash: 'hash-second', state: '{"v":"second"}', checkpoint: '{"id":"second"}' });

      await store().save(first);
      await store().save(second);

      expect(await store().latest(stream, 2, 10)).toStrictEqual([second]);
    });

    it('returns a snapshot saved without a checkpoint without one', async () => {
      const stream = randomStream();
      const { checkpoint: _omitted, ...unbound } = snapshot(stream, 0, 12);

      await store().save(unbound);

      expect(await store().latest(stream, 0, 10)).toStrictEqual([unbound]);
    });

    it('prunes all but the N saved last, whatever their offsets', async () => {
      const stream = randomStream();
      // The last three saved are of a log that replaced an earlier, longer one under the same name.
      for (const offset of [40, 10, 60, 3, 5, 2]) await store().save(snapshot(stream, 0, offset));

      await store().prune(stream, 0, 3);
      expect(offsets(await store().latest(stream, 0, 10))).toEqual([5, 3, 2]);

      await store().prune(stream, 0, 10);
      expect(await store().latest(stream, 0, 10)).toStrictEqual([5, 3, 2].map((offset) => snapshot(stream, 0, offset)));

      // Saved again, an offset counts as saved last.
      await store().save(snapshot(stream, 0, 3));
      await store().prune(stream, 0, 1);
      expect(offsets(await store().latest(stream, 0, 10))).toEqual([3]);

      await store().prune(stream, 0, 0);
      expect(await store().latest(stream, 0, 10)).toEqual([]);
    });

    it('returns nothing for a partition it has never seen', async () => {
      const stream = randomStream();
      await store().save(snapshot(stream, 0, 1));

      expect(await store().latest(stream, 1, 10)).toEqual([]);
      expect(await store().latest(randomStream(), 0, 10)).toEqual([]);
      await expect(store().prune(randomStream(), 0, 1)).resolves.toBeUndefined();
    });

    it('round-trips a 5 MB state exactly', async () => {
      const stream = randomStream();
      // Varied content (not one repeated character), with multi-byte text at both ends and inside.
      const middle = randomBytes(3_932_160).toString('base64'); // 5 MiB of text
      const state = `ä€𝄞${middle.slice(0, 2_000_000)}"\\'\n${'😀'.repeat(1000)}${middle.slice(2_000_000)}𝄞€ä`;
      expect(state.length).toBeGreaterThan(5 * 1024 * 1024);
      const saved = snapshot(stream, 0, 77, { state, stateHash: sha256(state) });

      await store().save(saved);
      const [found, ...rest] = await store().latest(stream, 0, 10);

      // Compare by digest first, so a mismatch does not print 5 MB of diff.
      expect(rest).toEqual([]);
      expect(found.state.length).toBe(state.length);
      expect(sha256(found.state)).toBe(sha256(state));
      expect({ ...found, state: '(compared above)' }).toStrictEqual({ ...saved, state: '(compared above)' });
    }, 60_000);

    it('round-trips unicode, quotes, backslashes and control characters exactly', async () => {
      const stream = randomStream();
      const state = [
        `{"quote":"say \\"hi\\"","apostrophe":"it's","sql":"'; DROP TABLE x; --"}`,
        'backslashes: \\ \\\\ \\n \\x00 \\u0000 C:\\path\\to',
        'dollars: $1 $$ $tag$ ? :name %s %%',
        'unicode: ä ß € 漢字 한국어 العربية עברית 🎲🗡️👩‍👩‍👧 e\u0301 \u200b \ufeff \u{10ffff}',
        'controls: \t tab \r\n crlf \u0001 \u001f \u007f',
        '   leading and trailing spaces   ',
      ].join('\n');
      const saved = snapshot(stream, 0, 1, { state, stateHash: `h"\\'${sha256(state)}é` });

      await store().save(saved);

      expect(await store().latest(stream, 0, 1)).toStrictEqual([saved]);
    });
  });
}

function randomStream(): string {
  return `contract-${randomBytes(6).toString('hex')}.events`;
}

/** State and hash name their coordinates, so a row returned for the wrong key cannot pass for the right one. */
function snapshot(stream: string, partition: number, lastOffset: number, overrides: Partial<Snapshot> = {}): Snapshot {
  const state = JSON.stringify({ stream, partition, lastOffset });
  return {
    stream,
    partition,
    lastOffset,
    schemaVersion: 1,
    stateHash: `hash-${partition}-${lastOffset}`,
    state,
    checkpoint: JSON.stringify({ type: 'checkpoint', claim: 0, stateHash: `hash-${partition}-${lastOffset}`, id: `${stream}#${partition}@${lastOffset}` }),
    ...overrides,
  };
}

const offsets = (snapshots: Snapshot[]): number[] => snapshots.map((each) => each.lastOffset);

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
