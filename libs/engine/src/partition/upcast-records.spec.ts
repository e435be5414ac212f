import { RECORD_VERSION } from './records';
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
});
