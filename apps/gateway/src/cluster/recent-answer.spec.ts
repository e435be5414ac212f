import { RecentAnswer } from './recent-answer';

/** Work whose answers the test hands out one by one, counting how often it was started. */
function controlledWork() {
  const pending: { resolve: (value: number) => void; reject: (error: Error) => void }[] = [];
  const work = jest.fn(() => new Promise<number>((resolve, reject) => pending.push({ resolve, reject })));
  return { work, pending };
}

describe('RecentAnswer', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000));

  it('shares one piece of work among callers that arrive while it runs', async () => {
    const { work, pending } = controlledWork();
    const answer = new RecentAnswer(work, 1_000, clock);

    const first = answer.get();
    const second = answer.get();
    pending[0].resolve(7);

    await expect(Promise.all([first, second])).resolves.toEqual([7, 7]);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('hands out the last answer for maxAgeMs after it came, then works again', async () => {
    const { work, pending } = controlledWork();
    const answer = new RecentAnswer(work, 1_000, clock);
    const first = answer.get();
    now = 1_500;
    pending[0].resolve(1);
    await first;

    now = 2_499;
    await expect(answer.get()).resolves.toBe(1);
    expect(work).toHaveBeenCalledTimes(1);

    now = 2_500;
    const fresh = answer.get();
    expect(work).toHaveBeenCalledTimes(2);
    pending[1].resolve(2);
    await expect(fresh).resolves.toBe(2);
  });

  it('gives a failure to those who waited for it, and keeps nothing: the next caller works again', async () => {
    const { work, pending } = controlledWork();
    const answer = new RecentAnswer(work, 1_000, clock);
    const first = answer.get();
    const second = answer.get();
    pending[0].reject(new Error('kafka away'));
    await expect(first).rejects.toThrow('kafka away');
    await expect(second).rejects.toThrow('kafka away');

    const retried = answer.get();
    expect(work).toHaveBeenCalledTimes(2);
    pending[1].resolve(3);
    await expect(retried).resolves.toBe(3);
  });
});
