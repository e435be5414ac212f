import type { LinkPeer } from '@app/owner-link';
import { followRequestOf } from './follow-requests';
import { ViewFollowers } from './view-followers';

/** A peer that records what it was pushed, and closes when told. */
function fakePeer(id: number, { full = false } = {}) {
  const pushed: string[] = [];
  const closeListeners: (() => void)[] = [];
  const peer: LinkPeer & { pushed: string[]; close(): void } = {
    id,
    pushed,
    push: () => false,
    pushJson: (json) => (full ? false : (pushed.push(json), true)),
    onClose: (listener) => closeListeners.push(listener),
    close: () => closeListeners.splice(0).forEach((listener) => listener()),
  };
  return peer;
}

const view = (aggregateId: string, tick: number) => ({ aggregateId, value: JSON.stringify({ aggregateId, view: { tick } }) });

describe('ViewFollowers', () => {
  it('pushes each changed view to the followers of its aggregate only, as serialized', () => {
    const followers = new ViewFollowers();
    const [a, b] = [fakePeer(1), fakePeer(2)];
    followers.follow(a, 'meadow');
    followers.follow(b, 'meadow');
    followers.follow(b, 'cave');

    expect(followers.changed([view('meadow', 1), view('cave', 1), view('desert', 1)])).toBe(3);
    expect(a.pushed).toEqual([view('meadow', 1).value]);
    expect(b.pushed).toEqual([view('meadow', 1).value, view('cave', 1).value]);
  });

  it('pushes once to a peer that followed twice, and nothing after it unfollowed', () => {
    const followers = new ViewFollowers();
    const peer = fakePeer(1);
    followers.follow(peer, 'meadow');
    followers.follow(peer, 'meadow');
    followers.changed([view('meadow', 1)]);
    followers.unfollow(peer, 'meadow');
    followers.unfollow(peer, 'never-followed');
    followers.changed([view('meadow', 2)]);

    expect(peer.pushed).toEqual([view('meadow', 1).value]);
    expect(followers.aggregates).toBe(0);
  });

  it('forgets every follow of a peer whose connection closed, and can take it again after', () => {
    const followers = new ViewFollowers();
    const [gone, staying] = [fakePeer(1), fakePeer(2)];
    followers.follow(gone, 'meadow');
    followers.follow(gone, 'cave');
    followers.follow(staying, 'meadow');
    gone.close();

    followers.changed([view('meadow', 1), view('cave', 1)]);
    expect(gone.pushed).toEqual([]);
    expect(staying.pushed).toEqual([view('meadow', 1).value]);
    expect(followers.aggregates).toBe(1);
  });

  it('refuses follows past the limit of a peer, and counts pushes a full peer dropped as not sent', () => {
    const followers = new ViewFollowers(2);
    const peer = fakePeer(1, { full: true });
    expect([followers.follow(peer, 'a'), followers.follow(peer, 'b'), followers.follow(peer, 'c'), followers.follow(peer, 'a')]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    expect(followers.changed([view('a', 1), view('c', 1)])).toBe(0);
  });
});

describe('followRequestOf', () => {
  it('reads follow and unfollow requests', () => {
    expect(followRequestOf({ follow: 'meadow' })).toEqual({ follow: 'meadow' });
    expect(followRequestOf({ unfollow: 'meadow' })).toEqual({ unfollow: 'meadow' });
  });

  it.each([{ follow: '' }, { follow: 7 }, { unfollow: null }, { follow: 'x'.repeat(201) }])('says what is wrong with %j', (body) =>
    expect(followRequestOf(body)).toEqual({ error: expect.stringMatching(/^(un)?follow takes an aggregateId/) }),
  );

  it.each([null, 'follow', { envelope: { aggregateId: 'meadow' } }])('leaves %j to the command path', (body) => expect(followRequestOf(body)).toBeUndefined());
});
