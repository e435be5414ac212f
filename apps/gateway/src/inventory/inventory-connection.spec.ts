import { InventoryView } from '@app/inventory';
import { OwnerLinkListener } from '../shared/owner-links';
import { ServiceConnection, ServiceOwners } from '../shared/service-connection';
import { InventoryConnection } from './inventory.module';

/** Lets the answers given so far reach the follows (promise callbacks only: no time passes). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

/** One inventory owner at `inv-a:7000` that follows whatever it is asked to, and the pushes it can send. */
function ownersWithOneOwner() {
  const requests: unknown[] = [];
  const listeners: OwnerLinkListener[] = [];
  const owners: ServiceOwners = {
    ownerOf: () => 'inv-a:7000',
    linkTo: () => ({ connected: true, request: (body: unknown) => (requests.push(body), Promise.resolve({ ok: true })) }) as never,
    failed: () => undefined,
    onRead: () => undefined,
    refresh: () => undefined,
    listen: (listener) => listeners.push(listener),
  };
  const push = (address: string, playerId: string, gold: number) =>
    listeners.forEach((listener) => listener.pushed?.(address, { aggregateId: playerId, view: { playerId, gold } }, 10));
  const disconnect = (address: string) => listeners.forEach((listener) => listener.disconnected?.(address));
  return { owners, requests, push, disconnect };
}

describe('InventoryConnection following the inventories of players connected here', () => {
  it('follows a player from the first socket to the last, across a reconnect, and passes on only their pushes', async () => {
    const { owners, requests, push } = ownersWithOneOwner();
    const services = { directCommands: true, ownersOf: () => owners } as unknown as ServiceConnection;
    const connection = new InventoryConnection(services);
    const heard: string[] = [];
    connection.listen({ changed: (playerId: string, view: InventoryView) => heard.push(`${playerId} ${view.gold}`) });
    connection.onApplicationBootstrap();

    connection.connected('ann');
    connection.connected('ann');
    await settled();
    expect({ requests, followed: connection.followedPlayers }).toEqual({ requests: [{ follow: 'ann' }], followed: 1 });
    push('inv-a:7000', 'ann', 5);
    push('inv-a:7000', 'bob', 6);
    push('zone-a:7000', 'ann', 7);
    expect(heard).toEqual(['ann 5']);

    // One socket left (a reconnect: the new one came before the old one went), then the last.
    connection.disconnected('ann');
    connection.connected('ann');
    connection.disconnected('ann');
    expect(requests).toEqual([{ follow: 'ann' }]);
    connection.disconnected('ann');
    await settled();
    expect({ requests, followed: connection.followedPlayers }).toEqual({ requests: [{ follow: 'ann' }, { unfollow: 'ann' }], followed: 0 });
    push('inv-a:7000', 'ann', 8);
    expect(heard).toEqual(['ann 5']);
    // A disconnect not matched by a connect (none should come) changes nothing.
    connection.disconnected('ann');
    expect(connection.followedPlayers).toBe(0);
  });

  it('reads the inventory when its follow moved (a change in between was pushed to nobody), passing it on only if newer', async () => {
    const { owners, requests, push, disconnect } = ownersWithOneOwner();
    let gold = 9;
    const send = jest.fn(() => Promise.resolve({ ok: true, reply: { playerId: 'ann', gold, version: gold } }));
    const services = { directCommands: true, ownersOf: () => owners, router: () => ({ send }) } as unknown as ServiceConnection;
    const connection = new InventoryConnection(services);
    const heard: string[] = [];
    connection.listen({ changed: (playerId: string, view: InventoryView) => heard.push(`${playerId} ${view.gold}`) });
    connection.onApplicationBootstrap();

    connection.connected('ann');
    await settled();
    push('inv-a:7000', 'ann', 5);
    expect(send).not.toHaveBeenCalled();
    disconnect('inv-a:7000');
    await settled();
    expect(requests).toEqual([{ follow: 'ann' }, { follow: 'ann' }]);
    expect(send).toHaveBeenCalledWith(expect.objectContaining({ aggregateId: 'ann', command: { type: 'get' } }), expect.any(Number));
    expect(heard).toEqual(['ann 5', 'ann 9']);

    // Read after a newer push came: nothing new to tell.
    gold = 3;
    disconnect('inv-a:7000');
    await settled();
    expect(heard).toEqual(['ann 5', 'ann 9']);
  });

  it('follows nobody and takes the changes topic with DIRECT_COMMANDS=off', () => {
    const follow = jest.fn();
    const services = { directCommands: false, follow, ownersOf: () => undefined } as unknown as ServiceConnection;
    const connection = new InventoryConnection(services);
    const heard: string[] = [];
    connection.listen({ changed: (playerId: string) => heard.push(playerId) });
    connection.onApplicationBootstrap();
    connection.connected('ann');
    expect(connection.followedPlayers).toBe(0);
    expect(follow).toHaveBeenCalledWith('inventory', expect.any(Function));
    (follow.mock.calls[0] as [string, (playerId: string, view: object, bytes: number) => void])[1]('bob', { gold: 1 }, 10);
    expect(heard).toEqual(['bob']);
  });
});
