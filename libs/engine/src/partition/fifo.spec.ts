import { Fifo } from './fifo';

describe('Fifo', () => {
  it('gives items back in the order pushed, across compactions', () => {
    const fifo = new Fifo<number>();
    const out: number[] = [];
    for (let index = 0; index < 5_000; index++) {
      fifo.push(index);
      if (index % 3 !== 0) out.push(fifo.shift()!);
    }
    expect(fifo.length).toBe(5_000 - out.length);
    expect([...fifo][0]).toBe(fifo.peek());
    while (fifo.length > 0) out.push(fifo.shift()!);
    expect(out).toEqual(Array.from({ length: 5_000 }, (_, index) => index));
    expect(fifo.shift()).toBeUndefined();
    expect(fifo.peek()).toBeUndefined();
  });
});
