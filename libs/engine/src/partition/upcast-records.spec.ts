import { parseLogRecord } from './parse-log-record';
import { PartitionState } from './partition-state';
import { domain, runLive } from './partition-state.testing';
import { LogRecord, RECORD_VERSION } from './records';
import { numberedFormat, RECORD_UPCASTERS, upcastRecord } from './upcast-records';

// Records of format 0, as written before formats were numbered (taken from a log of that time).
const claimV0 = { type: 'claim', owner: '10.0.0.7:4310' };
const outcomeV0 = {
  type: 'outcome',
  claim: 0,
  commandId: 'loot:meadow:42:m1',
  aggregateId: 'alice',
  events: [{ type: 'looted', lootId: 'loot:meadow:42:m1', gold: 3, items: {} }],
  outcome: { ok: true, reply: null },
  issuedAt: 1765000000000,
  commandOffset: 12,
  origin: { source: 'zone.events#0', offset: 40, index: 0 },
};
const checkpointV0 = { type: 'checkpoint', claim: 0, stateHash: 'f00d', id: 'AAECAwQFBgcICQoLDA0ODw' };
const outboxSentV0 = { type: 'outbox-sent', claim: 0, through: 40 };

describe('record upcasters', () => {
  it('has one upcaster per format before the current one', () => expect(RECORD_UPCASTERS).toHaveLength(RECORD_VERSION));

  describe('format 0 to 1 (numberedFormat)', () => {
    it('numbers a claim, a checkpoint and an outbox-sent and keeps every field', () => {
      expect(numberedFormat(claimV0)).toEqual({ ...claimV0, v: 1 });
      expect(numberedFormat(checkpointV0)).toEqual({ ...checkpointV0, v: 1 });
      expect(numberedFormat(outboxSentV0)).toEqual({ ...outboxSentV0, v: 1 });
    });

    it('says an outcome holds events of version 1, as every outcome did before events were versioned', () =>
      expect(numberedFormat(outcomeV0)).toEqual({ ...outcomeV0, v: 1, eventsVersion: 1 }));

    it('leaves the record it reads as it was', () => {
      const before = structuredClone(outcomeV0);
      numberedFormat(outcomeV0);
      expect(outcomeV0).toEqual(before);
    });
  });

  it('brings a record of format 0 to the current format and leaves a current one alone', () => {
    expect(upcastRecord(claimV0, 0)).toMatchObject({ v: RECORD_VERSION });
    const current = { ...claimV0, v: RECORD_VERSION };
    expect(upcastRecord(current, RECORD_VERSION)).toBe(current);
  });

  it('replays a log written before formats were numbered to the very state of the same log written now', () => {
    const { live, log } = runLive(100);
    expect(log.filter((record) => record.type === 'outcome').every((record) => record.v === RECORD_VERSION && record.eventsVersion === 1)).toBe(true);
    const formatZero = log.map(({ v: _v, ...record }) => {
      const { eventsVersion: _eventsVersion, ...old } = record as LogRecord & { eventsVersion?: number };
      return Buffer.from(JSON.stringify(old), 'utf8');
    });
    const replayed = new PartitionState(domain, 100);
    formatZero.forEach((raw, offset) => replayed.apply(parseLogRecord(raw, offset), offset));
    expect(replayed.hash()).toBe(live.hash());
    expect(replayed.image()).toEqual(live.image());
  });
});
