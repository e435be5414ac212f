import { Account, accountsDomain } from '@app/engine/testing';
import { claimed, credited, envelope } from './account-envelopes.testing';
import { decideBatch } from './decide-batch';
import { PartitionState } from './partition-state';
import { LogRecord } from './records';

const domain = accountsDomain();

describe('decideBatch', () => {
  let state: PartitionState<Account>;
  beforeEach(() => {
    state = claimed();
  });

  describe('an outbox command (with an origin)', () => {
    const bank1 = 'accounts.events#1';
    const bank2 = 'accounts.events#2';

    it('is decided and recorded with its origin, which it marks applied', () => {
      const writes = decideBatch(domain, state, [credited('k1', 'bob', 5, [bank1, 7, 0])]);
      expect(writes.records).toEqual([{ key: 'bob', record: expect.objectContaining({ commandId: 'k1', origin: { source: bank1, offset: 7, index: 0 } }) }]);
      expect(state.aggregate('bob').balance).toBe(5);
      expect(state.isNewOrigin({ source: bank1, offset: 7, index: 0 })).toBe(false);
    });

    it.each<[string, [string, number, number]]>([
      ['the same origin', [bank1, 7, 1]],
      ['an earlier index of the same record', [bank1, 7, 0]],
      ['an earlier record', [bank1, 6, 5]],
    ])('is dropped when it repeats %s: no record, no reply, no change', (_name, origin) => {
      decideBatch(domain, state, [credited('k1', 'bob', 5, [bank1, 7, 1])]);
      const before = { hash: state.hash(), image: state.image() };
      // A new commandId: the origin alone must drop it, not the dedupe window.
      const writes = decideBatch(domain, state, [credited('k2', 'bob', 100, origin)]);
      expect(writes).toEqual({ records: [], replies: [], failures: [] });
      expect(state.hash()).toBe(before.hash);
      expect(state.image()).toEqual(before.image);
      expect(state.dedupe.outcomeOf('k2')).toBeUndefined();
    });

    it('is dropped when it repeats within the same batch', () => {
      const writes = decideBatch(domain, state, [credited('k1', 'bob', 5, [bank1, 7, 0]), credited('k2', 'bob', 100, [bank1, 7, 0])]);
      expect(writes.records.map(({ record }) => record.type === 'outcome' && record.commandId)).toEqual(['k1']);
      expect(writes.replies.map(({ commandId }) => commandId)).toEqual(['k1']);
      expect(state.aggregate('bob').balance).toBe(5);
    });

    it.each<[string, [string, number, number]]>([
      ['a later index of the same record', [bank1, 7, 2]],
      ['a later record, even at a lower index', [bank1, 8, 0]],
      ['another source, even at a lower offset', [bank2, 0, 0]],
    ])('is accepted from %s', (_name, origin) => {
      decideBatch(domain, state, [credited('k1', 'bob', 5, [bank1, 7, 1])]);
      const writes = decideBatch(domain, state, [credited('k2', 'bob', 100, origin)]);
      const [source, offset, index] = origin;
      expect(writes.records.map(({ record }) => record.type === 'outcome' && record.origin)).toEqual([{ source, offset, index }]);
      expect(state.aggregate('bob').balance).toBe(105);
    });

    it('tracks each source on its own', () => {
      decideBatch(domain, state, [credited('k1', 'bob', 1, [bank1, 9, 0]), credited('k2', 'bob', 2, [bank2, 3, 0])]);
      const writes = decideBatch(domain, state, [
        credited('k3', 'bob', 4, [bank2, 4, 0]),
        credited('k4', 'bob', 8, [bank1, 8, 0]),
        credited('k5', 'bob', 16, [bank2, 3, 0]),
        credited('k6', 'bob', 32, [bank1, 9, 1]),
      ]);
      expect(writes.records.map(({ record }) => record.type === 'outcome' && record.commandId)).toEqual(['k3', 'k6']);
      expect(state.image().origins).toEqual([
        [bank1, 9, 1],
        [bank2, 4, 0],
      ]);
    });

    it('leaves the same origins and hash on replay as live', () => {
      const log: LogRecord[] = [{ type: 'claim', owner: 'me' }];
      const live = new PartitionState(domain, 100);
      live.apply(log[0], 0);
      for (const batch of [
        [
          credited('k1', 'bob', 1, [bank1, 9, 0]),
          credited('k2', 'bob', 2, [bank2, 3, 0]),
          envelope('bad', 'bob', 'junk', { origin: { source: bank2, offset: 3, index: 1 } }),
        ],
        [credited('k3', 'bob', 4, [bank1, 9, 0]), credited('k4', 'bob', 8, [bank1, 10, 0])],
      ]) {
        for (const { record } of decideBatch(domain, live, batch).records) {
          log.push(record);
          live.written(record, log.length - 1);
        }
      }
      const replayed = new PartitionState(domain, 100);
      log.forEach((record, offset) => replayed.apply(record, offset));
      expect(replayed.image().origins).toEqual([
        [bank1, 10, 0],
        [bank2, 3, 1],
      ]);
      expect(replayed.image()).toEqual(live.image());
      expect(replayed.hash()).toBe(live.hash());
    });
  });
});
