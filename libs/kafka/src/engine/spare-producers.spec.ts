import { Producer } from 'kafkajs';
import { SpareProducers } from './spare-producers';

/** Sets of one fake producer each, numbered in the order they were connected; `failing` connections reject. */
function connections(failing = () => false) {
  const made: { id: number; disconnected: boolean }[] = [];
  const connect = async (): Promise<Producer[]> => {
    const set = { id: made.length + 1, disconnected: false };
    made.push(set);
    if (failing()) throw new Error('broker away');
    return [{ id: set.id, disconnect: async () => void (set.disconnected = true) } as unknown as Producer];
  };
  return { made, connect };
}

const idOf = (set: Producer[]) => (set[0] as unknown as { id: number }).id;

describe('SpareProducers', () => {
  it('given no spares wanted, when a set is taken, then one is connected for it then', async () => {
    const { made, connect } = connections();
    const spares = new SpareProducers(connect);
    expect(made).toHaveLength(0);
    expect(idOf(await spares.take())).toBe(1);
    await spares.close();
  });

  it('given two spares kept, when three sets are taken at once, then two are the spares and the third is connected then', async () => {
    const { made, connect } = connections();
    const spares = new SpareProducers(connect);
    spares.keep(2);
    expect(made).toHaveLength(2);
    const taken = await Promise.all([spares.take(), spares.take(), spares.take()]);
    expect(taken.map(idOf)).toEqual([1, 2, 3]);
    await spares.close();
  });

  it('given a spare that failed to connect, when it is taken, then a new set is connected instead', async () => {
    let away = true;
    const { connect } = connections(() => away);
    const spares = new SpareProducers(connect);
    spares.keep(1);
    away = false;
    expect(idOf(await spares.take())).toBe(2);
    await spares.close();
  });

  describe('with the refill timer under test control', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('given spares kept, when the pool is closed, then they are disconnected and none is connected again', async () => {
      const { made, connect } = connections();
      const spares = new SpareProducers(connect);
      spares.keep(2);
      await spares.take();
      await spares.close();
      jest.runAllTimers();
      expect(made.map(({ id, disconnected }) => [id, disconnected])).toEqual([
        [1, false],
        [2, true],
      ]);
    });

    it('given a spare taken, then the pool is filled again a moment later', async () => {
      const { made, connect } = connections();
      const spares = new SpareProducers(connect);
      spares.keep(1);
      await spares.take();
      expect(made).toHaveLength(1);
      jest.runAllTimers();
      expect(made).toHaveLength(2);
      expect(idOf(await spares.take())).toBe(2);
      await spares.close();
    });
  });
});
