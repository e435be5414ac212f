import { encodeFrame, parseRequest, parseServerFrame, positiveLimit } from './frames';
import { LinkError } from './link-error';

describe('frames', () => {
  it('reads a request, ignoring unknown extra fields', () => {
    expect(parseRequest('{"i":7,"q":{"a":[1]},"trace":"x"}')).toEqual({ id: 7, body: { a: [1] } });
    expect(parseRequest('{"i":1,"q":null}')).toEqual({ id: 1, body: null });
  });

  it.each(['', 'nope', '[1]', 'null', '{"q":1}', '{"i":0,"q":1}', '{"i":1.5,"q":1}', '{"i":"1","q":1}', '{"i":1}'])('refuses %p as a request', (line) =>
    expect(parseRequest(line)).toBeUndefined(),
  );

  it('reads answers, error answers and pushes', () => {
    expect(parseServerFrame('{"i":3,"a":false}')).toEqual({ kind: 'answer', id: 3, body: false });
    expect(parseServerFrame('{"i":3,"e":"boom","x":1}')).toEqual({ kind: 'error', id: 3, message: 'boom' });
    expect(parseServerFrame('{"p":{"tick":1}}')).toEqual({ kind: 'push', body: { tick: 1 } });
  });

  it.each(['{}', '{"i":3}', '{"i":3,"a":1,"e":"x"}', '{"i":3,"e":5}', '{"i":-1,"a":1}', '{"a":1}', '"p"', '{"i":1,"a":1'])('refuses %p from a server', (line) =>
    expect(parseServerFrame(line)).toBeUndefined(),
  );

  it('refuses to encode what cannot travel: no JSON form, or over the byte limit', () => {
    expect(() => encodeFrame({ q: 1n }, 100)).toThrow(LinkError);
    expect(() => encodeFrame({ q: 'é'.repeat(40) }, 80)).toThrow(expect.objectContaining({ reason: 'invalid' }));
    expect(encodeFrame({ q: 'é'.repeat(30) }, 80)).toBe(`{"q":"${'é'.repeat(30)}"}`);
  });

  it('takes limits as positive integers only', () => {
    expect(positiveLimit('maxInFlight', undefined, 5)).toBe(5);
    expect(positiveLimit('maxInFlight', 3, 5)).toBe(3);
    expect(() => positiveLimit('maxInFlight', 0, 5)).toThrow('maxInFlight must be a positive integer, got 0');
  });
});
