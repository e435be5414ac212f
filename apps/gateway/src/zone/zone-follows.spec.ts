import { ZoneFollows, ZoneOwners, zoneOwnersOver } from './zone-follows';

/** Lets the answers given so far reach ZoneFollows (promise callbacks only: no time passes). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

/** Owners the test controls: who owns which zone, each follow request held until answered, and what each owner holds. */
class FakeOwners implements ZoneOwners {
  readonly ownerByZone = new Map<string, string>();
  readonly asked: { address: string; zoneId: string; answer(followed: boolean): void }[] = [];
  readonly unfollows: string[] = [];
  /** What each owner pushes to this gateway: `address zoneId`. */
  readonly held = new Set<string>();

  ownerOf(zoneId: string): string | undefined {
    return this.ownerByZone.get(zoneId);
  }

  follow(address: string, zoneId: string): Promise<boolean> {
    return new Promise((resolve) =>
      this.asked.push({
        address,
        zoneId,
        answer: (followed) => {
          if (followed) this.held.add(`${address} ${zoneId}`);
          resolve(followed);
        },
      }),
    );
  }

  unfollow(address: string, zoneId: string): void {
    this.unfollows.push(`${address} ${zoneId}`);
    this.held.delete(`${address} ${zoneId}`);
  }

  /** Answers the oldest request held, which must be a follow of `zoneId` at `address`. */
  async answer(address: string, zoneId: string, followed: boolean): Promise<void> {
    const request = this.asked.shift();
    expect(request && `${request.address} ${request.zoneId}`).toBe(`${address} ${zoneId}`);
    request!.answer(followed);
    await settled();
  }

  /** The owner's connection closed: it holds nothing for this gateway any more. */
  lost(address: string): void {
    for (const follow of this.held) if (follow.startsWith(`${address} `)) this.held.delete(follow);
  }
}

describe('ZoneFollows', () => {
  let owners: FakeOwners;
  let follows: ZoneFollows;

  beforeEach(() => {
    owners = new FakeOwners();
    follows = new ZoneFollows(owners);
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

  it('follows again at once when the link it followed on closes, and only the zones followed there', async () => {
    owners.ownerByZone.set('meadow', 'zone-a:7000');
    owners.ownerByZone.set('cave', 'zone-b:7000');
    follows.want('meadow');
    follows.want('cave');
    await owners.answer('zone-a:7000', 'meadow', true);
    await owners.answer('zone-b:7000', 'cave', true);

    owners.lost('zone-a:7000');
    expect(follows.disconnected('zone-a:7000')).toBe(true);
    expect(follows.disconnected('zone-z:7000')).toBe(false);
    expect(owners.asked.map(({ zoneId }) => zoneId)).toEqual(['meadow']);
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

describe('zoneOwnersOver', () => {
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
    const owners = zoneOwnersOver(fake.over, log);
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
    const owners = zoneOwnersOver(fake.over, jest.fn());
    await expect(owners.follow('zone-a:7000', 'meadow')).resolves.toBe(false);
    expect(fake.failures).toEqual([error]);
    owners.unfollow('zone-a:7000', 'meadow');
    await settled();
    expect(fake.requests).toEqual([{ follow: 'meadow' }, { unfollow: 'meadow' }]);

    const closed = links(() => Promise.resolve({ ok: true }), false);
    zoneOwnersOver(closed.over, jest.fn()).unfollow('zone-a:7000', 'meadow');
    expect(closed.requests).toEqual([]);
  });
});
