import { parseEnvelope } from './parse-envelope';

const wire = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
const good = { commandId: 'c1', aggregateId: 'alice', issuedAt: 1700000000000, command: { type: 'deposit', amount: 5 } };

describe('parseEnvelope', () => {
  it('reads a well-formed envelope', () => expect(parseEnvelope(wire(good))).toEqual(good));

  it('reads a replyTo and passes the command through unchecked', () => {
    const envelope = { ...good, replyTo: { topic: 't1-accounts.replies', partition: 2 }, command: 'anything at all' };
    expect(parseEnvelope(wire(envelope))).toEqual(envelope);
  });

  it('reads an origin', () => {
    const envelope = { ...good, origin: { source: 'accounts.events#3', offset: 0, index: 12 } };
    expect(parseEnvelope(wire(envelope))).toEqual(envelope);
  });

  it('reads a requester and the first time a retry was sent', () => {
    const envelope = { ...good, requester: 'p_alice', firstIssuedAt: good.issuedAt - 5_000 };
    expect(parseEnvelope(wire(envelope))).toEqual(envelope);
  });

  it('takes a retry first sent after it was sent now as first sent now', () =>
    expect(parseEnvelope(wire({ ...good, firstIssuedAt: good.issuedAt + 1 }))).toMatchObject({ firstIssuedAt: good.issuedAt }));

  it('accepts ids of exactly 200 characters', () =>
    expect(parseEnvelope(wire({ ...good, commandId: 'c'.repeat(200), aggregateId: 'a'.repeat(200) }))).toMatchObject({ commandId: 'c'.repeat(200) }));

  it.each<[string, Buffer | null, string]>([
    ['no record', null, 'empty record'],
    ['an empty buffer', Buffer.alloc(0), 'not JSON'],
    ['text that is not JSON', Buffer.from('{"commandId":'), 'not JSON'],
    ['JSON null', wire(null), 'not an object'],
    ['a JSON number', wire(42), 'not an object'],
    ['a JSON string', wire('c1'), 'not an object'],
    ['a JSON array', wire([good]), 'not an object'],
    ['a missing commandId', wire({ ...good, commandId: undefined }), 'commandId must be a string of 1-200 characters'],
    ['an empty commandId', wire({ ...good, commandId: '' }), 'commandId must be a string of 1-200 characters'],
    ['a numeric commandId', wire({ ...good, commandId: 7 }), 'commandId must be a string of 1-200 characters'],
    ['a too long commandId', wire({ ...good, commandId: 'c'.repeat(201) }), 'commandId must be a string of 1-200 characters'],
    ['a missing aggregateId', wire({ ...good, aggregateId: undefined }), 'aggregateId must be a string of 1-200 characters'],
    ['a too long aggregateId', wire({ ...good, aggregateId: 'a'.repeat(201) }), 'aggregateId must be a string of 1-200 characters'],
    ['a missing issuedAt', wire({ ...good, issuedAt: undefined }), 'issuedAt must be a number'],
    ['issuedAt as text', wire({ ...good, issuedAt: '1700000000000' }), 'issuedAt must be a number'],
    ['a null issuedAt', wire({ ...good, issuedAt: null }), 'issuedAt must be a number'],
    ['an infinite issuedAt', Buffer.from('{"commandId":"c1","aggregateId":"alice","issuedAt":1e999}'), 'issuedAt must be a number'],
    ['an empty requester', wire({ ...good, requester: '' }), 'requester must be a string of 1-200 characters'],
    ['a numeric requester', wire({ ...good, requester: 5 }), 'requester must be a string of 1-200 characters'],
    ['firstIssuedAt as text', wire({ ...good, firstIssuedAt: '1' }), 'firstIssuedAt must be a number'],
    ['a null firstIssuedAt', wire({ ...good, firstIssuedAt: null }), 'firstIssuedAt must be a number'],
    ['a null replyTo', wire({ ...good, replyTo: null }), 'replyTo must be { topic, partition }'],
    ['a replyTo string', wire({ ...good, replyTo: 'replies' }), 'replyTo must be { topic, partition }'],
    ['a replyTo without topic', wire({ ...good, replyTo: { partition: 0 } }), 'replyTo must be { topic, partition }'],
    ['a replyTo without partition', wire({ ...good, replyTo: { topic: 'replies' } }), 'replyTo must be { topic, partition }'],
    ['a fractional replyTo partition', wire({ ...good, replyTo: { topic: 'replies', partition: 1.5 } }), 'replyTo must be { topic, partition }'],
    ['a replyTo partition as text', wire({ ...good, replyTo: { topic: 'replies', partition: '1' } }), 'replyTo must be { topic, partition }'],
    ['a null origin', wire({ ...good, origin: null }), 'origin must be { source, offset, index }'],
    ['an origin string', wire({ ...good, origin: 'accounts.events#3' }), 'origin must be { source, offset, index }'],
    ['an origin without source', wire({ ...good, origin: { offset: 4, index: 0 } }), 'origin must be { source, offset, index }'],
    ['an origin with an empty source', wire({ ...good, origin: { source: '', offset: 4, index: 0 } }), 'origin must be { source, offset, index }'],
    [
      'an origin with a negative offset',
      wire({ ...good, origin: { source: 'accounts.events#3', offset: -1, index: 0 } }),
      'origin must be { source, offset, index }',
    ],
    ['an origin offset as text', wire({ ...good, origin: { source: 'accounts.events#3', offset: '4', index: 0 } }), 'origin must be { source, offset, index }'],
    ['an origin without index', wire({ ...good, origin: { source: 'accounts.events#3', offset: 4 } }), 'origin must be { source, offset, index }'],
    [
      'a fractional origin index',
      wire({ ...good, origin: { source: 'accounts.events#3', offset: 4, index: 0.5 } }),
      'origin must be { source, offset, index }',
    ],
  ])('refuses %s', (_name, raw, error) => expect(parseEnvelope(raw)).toEqual({ error }));
});
