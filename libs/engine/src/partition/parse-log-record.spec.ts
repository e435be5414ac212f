import { parseLogRecord } from './parse-log-record';
import { LogRecord, RECORD_VERSION } from './records';

const wire = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

const claim: LogRecord = { v: RECORD_VERSION, type: 'claim', owner: 'host-a:4242' };
const outcome: LogRecord = {
  v: RECORD_VERSION,
  type: 'outcome',
  claim: 3,
  commandId: 'c1',
  aggregateId: 'alice',
  events: [],
  eventsVersion: 1,
  outcome: { ok: true, reply: null },
};
const checkpoint: LogRecord = { v: RECORD_VERSION, type: 'checkpoint', claim: 3, stateHash: 'f00d' };
const outboxSent: LogRecord = { v: RECORD_VERSION, type: 'outbox-sent', claim: 3, through: 17 };
const origin = { source: 'accounts.events#1', offset: 9, index: 2 };

describe('parseLogRecord', () => {
  it.each<[string, LogRecord]>([
    ['a claim', claim],
    ['an outcome', outcome],
    [
      'an outcome with everything',
      {
        ...outcome,
        events: [{ type: 'deposited', amount: 5 }],
        commandOffset: 40,
        origin,
        outbox: [{ aggregateId: 'bob', commandId: 'c1:credit', issuedAt: 1000, command: { type: 'credit' } }],
      },
    ],
    ['an outcome kept out of the dedupe window', { ...outcome, forget: true }],
    ['a checkpoint', checkpoint],
    ['an outbox-sent', outboxSent],
    ['a record under the claim at offset 0', { ...checkpoint, claim: 0 }],
  ])('reads %s as written', (_name, record) => expect(parseLogRecord(wire(record), 5)).toEqual(record));

  it.each<[string, LogRecord]>([
    ['a claim', claim],
    ['an outcome', { ...outcome, events: [{ type: 'deposited', amount: 5 }], issuedAt: 1000 }],
    ['a checkpoint', { ...checkpoint, id: 'abc' }],
    ['an outbox-sent', outboxSent],
  ])('reads %s of format 0 (no v) in the current format', (_name, { v: _v, ...record }) => {
    const { eventsVersion: _eventsVersion, ...unversioned } = record as LogRecord & { eventsVersion?: number };
    expect(parseLogRecord(wire(unversioned), 5)).toEqual({ ...record, v: RECORD_VERSION });
  });

  it('refuses a record of a format newer than it knows, saying so rather than misreading it', () =>
    expect(() => parseLogRecord(wire({ ...outcome, v: RECORD_VERSION + 1 }), 12)).toThrow(
      `events record at offset 12 is of format ${RECORD_VERSION + 1}; this code reads formats up to ${RECORD_VERSION}`,
    ));

  it.each<[string, Buffer | null]>([
    ['no value', null],
    ['text that is not JSON', Buffer.from('{"type":"claim"')],
    ['JSON null', wire(null)],
    ['a JSON array', wire([claim])],
    ['an unknown type', wire({ type: 'rename', claim: 3 })],
    ['a format that is text', wire({ ...claim, v: '1' })],
    ['a negative format', wire({ ...claim, v: -1 })],
    ['a fractional format', wire({ ...claim, v: 0.5 })],
    ['an outcome without its events version', wire({ ...outcome, eventsVersion: undefined })],
    ['an outcome whose events version is 0', wire({ ...outcome, eventsVersion: 0 })],
    ['an outcome whose events version is text', wire({ ...outcome, eventsVersion: '1' })],
    ['a claim without owner', wire({ type: 'claim' })],
    ['a claim with a numeric owner', wire({ type: 'claim', owner: 7 })],
    ...(
      [
        ['an outcome', outcome],
        ['a checkpoint', checkpoint],
        ['an outbox-sent', outboxSent],
      ] as const
    ).flatMap(([name, record]): [string, Buffer][] => [
      [`${name} without claim`, wire({ ...record, claim: undefined })],
      [`${name} with a fractional claim`, wire({ ...record, claim: 2.5 })],
      [`${name} with the claim as text`, wire({ ...record, claim: '3' })],
      [`${name} with a negative claim`, wire({ ...record, claim: -1 })],
    ]),
    ['an outbox-sent without through', wire({ ...outboxSent, through: undefined })],
    ['an outbox-sent with a fractional through', wire({ ...outboxSent, through: 1.5 })],
    ['an outbox-sent with through as text', wire({ ...outboxSent, through: '17' })],
    ['a checkpoint without hash', wire({ ...checkpoint, stateHash: undefined })],
    ['an outcome without events', wire({ ...outcome, events: undefined })],
    ['an outcome with a null outcome', wire({ ...outcome, outcome: null })],
    ['an outcome whose outbox is not a list', wire({ ...outcome, outbox: { aggregateId: 'bob' } })],
    ['an outcome whose outbox holds null', wire({ ...outcome, outbox: [null] })],
    ['an outcome whose outbox command has no commandId', wire({ ...outcome, outbox: [{ aggregateId: 'bob', issuedAt: 1, command: {} }] })],
    ['an outcome whose commandOffset is text', wire({ ...outcome, commandOffset: 'x' })],
    ['an outcome whose forget is not true', wire({ ...outcome, forget: false })],
    ['an outcome whose origin is not an object', wire({ ...outcome, origin: 'accounts.events#1' })],
    ['an outcome whose origin has no source', wire({ ...outcome, origin: { ...origin, source: undefined } })],
    ['an outcome whose origin has a negative offset', wire({ ...outcome, origin: { ...origin, offset: -1 } })],
    ['an outcome whose origin has a fractional index', wire({ ...outcome, origin: { ...origin, index: 0.5 } })],
  ])('refuses %s, naming the offset', (_name, raw) => expect(() => parseLogRecord(raw, 12)).toThrow('events record at offset 12 is malformed'));
});
