import { AggregateFollows, AggregateOwners, aggregateOwnersOver } from './aggregate-follows';

/** Lets the answers given so far reach AggregateFollows (promise callbacks only: no time passes). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

/** Owners the test controls: who owns which zone, each follow request held until answered, and what each owner holds. */
class FakeOwners implements AggregateOwners {
  readonly ownerByZone = new Map<string, string>();
  readonly asked: { address: string; aggregateId: string; answer(followed: boolean): void }[] = [];
  readonly unfollows: string[] = [];
  /** What each owner pushes to this gateway: `address aggregateId`. */
  readonly held = new Set<string>();

  ownerOf(aggregateId: string): string | undefined {
    return this.ownerByZone.get(aggregateId);
  }

  follow(address: string, aggregateId: string): Promise<boolean> {
    return new Promise((resolve) =>
      this.asked.push({
        address,
        aggregateId,
        answer: (followed) => {
          if (followed) this.held.add(`${address} ${aggregateId}`);
          resolve(followed);
        },
      }),
    );
  }

  unfollow(address: string, aggregateId: string): void {
    this.unfollows.push(`${address} ${aggregateId}`);
    this.held.delete(`${address} ${aggregateId}`);
  }

  /** Answers the oldest request held, which must be a follow of `aggregateId` at `address`. */
  async answer(address: string, aggregateId: string, followed: boolean): Promise<void> {
    const request = this.asked.shift();
    expect(request && `${request.address} ${request.aggregateId}`).toBe(`${address} ${aggregateId}`);
    request!.answer(followed);
    await settled();
  }

  /** The owner's connection closed: it holds nothing for this gateway any more. */
  lost(address: string): void {
    for (const follow of this.held) if (follow.startsWith(`${address} `)) this.held.delete(follow);
  }
}

describe('AggregateFollows', () => {
  let owners: FakeOwners;
  let follows: AggregateFollows;
  let refollowed: string[];

  beforeEach(() => {
    owners = new FakeOwners();
    refollowed = [];
    follows = new AggregateFollows(owners, (aggregateId) => refollowed.push(aggregateId));
  });

  it('follows a zone at its owner when its first viewer comes, asking once at a time, and unfollows when the last leaves', async () => {
    owners.ownerByZone.set('meadow', 'zone-a:7000');
    follows.want('meadow');
    follows.ownersRead();
    expect(owners.asked).toHaveLength(1);
    await owners.answer('zone-a:7000', 'meadow', true);
    expect(follows.followedAt('meadow')).toBe('zone-a:7000');
    expect(follows.unfollowed).toBe(0);

    follows.ownersRead();
    expect(owners.asked).toHaveLength(0);
    follows.drop('meadow');
    expect(owners.unfollows).toEqual(['zone-a:7000 meadow']);
    expect({ wants: follows.wants('meadow'), held: [...owners.held] }).toEqual({ wants: false, held: [] });
  });

  it('waits for the group to name an owner, and tries a refused follow again at the next read only', async () => {
    follows.want('meadow');
    expect(owners.asked).toHaveLength(0);
    expect(follows.unfollowed).toBe(1);

    owners.ownerByZone.set('meadow', 'zone-a:7000');
    follows.ownersRead();
    await owners.answer('zone-a:7000', 'meadow', false);
    expect(owners.asked).toHaveLength(0);

    follows.ownersRead();
    await owners.answer('zone-a:7000', 'meadow', true);
    expect([...owners.held]).toEqual(['zone-a:7000 meadow']);
  });

  it('moves the follow to the new owner the group names, unfollowing at the old one', async () => {
    owners.ownerByZone.set('meadow', 'zone-a:7000');
    follows.want('meadow');
    await owners.answer('zone-a:7000', 'meadow', true);

    owners.ownerByZone.set('meadow', 'zone-b:7000');
    follows.ownersRead();
    expect(owners.unfollows).toEqual(['zone-a:7000 meadow']);
    await owners.answer('zone-b:7000', 'meadow', true);
    expect({ at: follows.followedAt('meadow'), held: [...owners.held] }).toEqual({ at: 'zone-b:7000', held: ['zone-b:7000 meadow'] });
  });

  it('follows again at once when the link it followed on closes, and only the aggregates followed there', async () => {
    owners.ownerByZone.set('meadow', 'zone-a:7000');
    owners.ownerByZone.set('cave', 'zone-b:7000');
    follows.want('meadow');
    follows.want('cave');
    await owners.answer('zone-a:7000', 'meadow', true);
    await owners.answer('zone-b:7000', 'cave', true);

    owners.lost('zone-a:7000');
    expect(follows.disconnected('zone-a:7000')).toBe(true);
    expect(follows.disconnected('zone-z:7000')).toBe(false);
    expect(owners.asked.map(({ aggregateId }) => aggregateId)).toEqual(['meadow']);
    // The same address again (an owner restarted where the last one was, or the group not read yet): refused, then
    // the next read follows at whoever owns the zone then.
    await owners.answer('zone-a:7000', 'meadow', false);
    expect(follows.followedAt('meadow')).toBeUndefined();
    owners.ownerByZone.set('meadow', 'zone-c:7000');
    follows.ownersRead();
    await owners.answer('zone-c:7000', 'meadow', true);
    expect([...owners.held].sort()).toEqual(['zone-b:7000 cave', 'zone-c:7000 meadow']);
    expect(owners.unfollows).toEqual([]);
  });

  it('unfollows a follow that was confirmed after its last viewer left', async () => {
    owners.ownerByZone.set('meadow', 'zone-a:7000');
    follows.want('meadow');
    follows.drop('meadow');
    expect(owners.unfollows).toEqual([]);
    await owners.answer('zone-a:7000', 'meadow', true);
    expect({ wants: follows.wants('meadow'), held: [...owners.held], asked: owners.asked.length }).toEqual({ wants: false, held: [], asked: 0 });
    follows.ownersRead();
    expect(owners.asked).toHaveLength(0);
  });

  it('keeps a follow wanted again before its answer came, asking only once', async () => {
    owners.ownerByZone.set('meadow', 'zone-a:7000');
    follows.want('meadow');
    follows.drop('meadow');
    follows.want('meadow');
    expect(owners.asked).toHaveLength(1);
    await owners.answer('zone-a:7000', 'meadow', true);
    expect({ at: follows.followedAt('meadow'), held: [...owners.held], unfollows: owners.unfollows }).toEqual({
      at: 'zone-a:7000',
      held: ['zone-a:7000 meadow'],
      unfollows: [],
    });
  });

  it('tells of a follow confirmed again after a move or a closed link, not of a first one nor of one wanted anew', async () => {
    owners.ownerByZone.set('meadow', 'zone-a:7000');
    follows.want('meadow');
    await owners.answer('zone-a:7000', 'meadow', true);
    expect(refollowed).toEqual([]);

    owners.ownerByZone.set('meadow', 'zone-b:7000');
    follows.ownersRead();
    await owners.answer('zone-b:7000', 'meadow', false);
    expect(refollowed).toEqual([]);
    follows.ownersRead();
    await owners.answer('zone-b:7000', 'meadow', true);
    expect(refollowed).toEqual(['meadow']);

    follows.disconnected('zone-b:7000');
    await owners.answer('zone-b:7000', 'meadow', true);
    expect(refollowed).toEqual(['meadow', 'meadow']);

    follows.drop('meadow');
    follows.want('meadow');
    await owners.answer('zone-b:7000', 'meadow', true);
    expect(refollowed).toEqual(['meadow', 'meadow']);
  });

  it('takes pushes only of aggregates wanted, from where they are followed or being followed, and counts those wanted', async () => {
    owners.ownerByZone.set('meadow', 'zone-a:7000');
    owners.ownerByZone.set('cave', 'zone-b:7000');
    follows.want('meadow');
    follows.want('cave');
    // Asked and not answered yet: the first push may come before the answer is read.
    expect(follows.heardFrom('zone-a:7000', 'meadow')).toBe(true);
    await owners.answer('zone-a:7000', 'meadow', true);
    expect(follows.heardFrom('zone-a:7000', 'meadow')).toBe(true);
    // Another owner (another service's, or the old one of a moved aggregate), or an aggregate not followed here.
    expect(follows.heardFrom('zone-b:7000', 'meadow')).toBe(false);
    expect(follows.heardFrom('zone-a:7000', 'forest')).toBe(false);
    expect(follows.size).toBe(2);

    follows.drop('meadow');
    expect({ heard: follows.heardFrom('zone-a:7000', 'meadow'), size: follows.size }).toEqual({ heard: false, size: 1 });
  });

  it('checks a confirmed follow against an owner that changed while it was asked', async () => {
    owners.ownerByZone.set('meadow', 'zone-a:7000');
    follows.want('meadow');
    owners.ownerByZone.set('meadow', 'zone-b:7000');
    follows.ownersRead();
    await owners.answer('zone-a:7000', 'meadow', true);
    expect(owners.unfollows).toEqual(['zone-a:7000 meadow']);
    await owners.answer('zone-b:7000', 'meadow', true);
    expect([...owners.held]).toEqual(['zone-b:7000 meadow']);
  });
});

describe('aggregateOwnersOver', () => {
  const links = (answer: () => Promise<unknown>, connected = true) => {
    const requests: unknown[] = [];
    const failures: unknown[] = [];
    const link = { connected, request: (body: unknown) => (requests.push(body), answer()) };
    return {
      requests,
      failures,
      over: { ownerOf: () => 'zone-a:7000', linkTo: () => link, failed: (_address: string, error: unknown) => failures.push(error) },
    };
  };

  it('says followed only for { ok: true }, and logs refusals that are no move', async () => {
    const log = jest.fn();
    const answers = [{ ok: true }, { ok: false, resend: true, reason: 'moved' }, { ok: false, error: 'bad' }];
    const fake = links(() => Promise.resolve(answers.shift()));
    const owners = aggregateOwnersOver(fake.over, log);
    expect([await owners.follow('zone-a:7000', 'meadow'), await owners.follow('zone-a:7000', 'meadow'), await owners.follow('zone-a:7000', 'meadow')]).toEqual([
      true,
      false,
      false,
    ]);
    expect(fake.requests).toEqual([{ follow: 'meadow' }, { follow: 'meadow' }, { follow: 'meadow' }]);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('bad'));
  });

  it('resolves false on a failed request and reports the failure to the links, and unfollows only over an open connection', async () => {
    const error = new Error('connect refused');
    const fake = links(() => Promise.reject(error));
    const owners = aggregateOwnersOver(fake.over, jest.fn());
    await expect(owners.follow('zone-a:7000', 'meadow')).resolves.toBe(false);
    expect(fake.failures).toEqual([error]);
    owners.unfollow('zone-a:7000', 'meadow');
    await settled();
    expect(fake.requests).toEqual([{ follow: 'meadow' }, { unfollow: 'meadow' }]);

    const closed = links(() => Promise.resolve({ ok: true }), false);
    aggregateOwnersOver(closed.over, jest.fn()).unfollow('zone-a:7000', 'meadow');
    expect(closed.requests).toEqual([]);
  });
});
