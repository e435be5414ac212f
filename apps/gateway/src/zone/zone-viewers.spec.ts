import { ZoneSight } from '@app/zone';
import { ZoneViewer } from './zone-viewer';
import { ZoneViewers } from './zone-viewers';

const sight: ZoneSight = { zoneId: 'meadow', tick: 1, playerId: 'alice', ackSeq: -1, entities: [] };
const socket = () => ({ connected: true });

describe('zone viewers', () => {
  it('given a socket that disconnected while its join was in flight, when the join ends, then it watches nothing', async () => {
    const viewers = new ZoneViewers();
    const gone = socket();
    viewers.connected();
    let answer!: () => void;
    const join = viewers.joining(async () => {
      await new Promise<void>((resolve) => (answer = resolve));
      return viewers.watch(gone, new ZoneViewer('meadow', 'alice', sight));
    });
    expect(viewers.joinsInFlight).toBe(1);
    gone.connected = false;
    viewers.disconnected(gone);
    answer();
    expect(await join).toBe(false);
    expect({ viewers: viewers.size, joins: viewers.joinsInFlight, sockets: viewers.sockets, zone: viewers.zoneOf(gone) }).toEqual({
      viewers: 0,
      joins: 0,
      sockets: 0,
      zone: undefined,
    });
  });

  it('keeps one viewer per socket: joining another zone replaces it, a disconnect removes it', () => {
    const viewers = new ZoneViewers();
    const staying = socket();
    viewers.connected();
    expect(viewers.watch(staying, new ZoneViewer('meadow', 'alice', sight))).toBe(true);
    viewers.watch(staying, new ZoneViewer('arena', 'alice', { ...sight, zoneId: 'arena' }));
    expect({ viewers: viewers.size, zone: viewers.zoneOf(staying) }).toEqual({ viewers: 1, zone: 'arena' });
    viewers.disconnected(staying);
    expect(viewers.size).toBe(0);
  });

  it('tells when a zone gets its first viewer here and loses its last, and nothing when a socket joins its own zone again', () => {
    const viewers = new ZoneViewers();
    const told: string[] = [];
    viewers.onZones({ first: (zoneId) => told.push(`first ${zoneId}`), last: (zoneId) => told.push(`last ${zoneId}`) });
    const [alice, bob] = [socket(), socket()];
    const arena = { ...sight, zoneId: 'arena' };
    viewers.watch(alice, new ZoneViewer('meadow', 'alice', sight));
    viewers.watch(bob, new ZoneViewer('meadow', 'bob', sight));
    viewers.watch(alice, new ZoneViewer('meadow', 'alice', sight));
    expect(told).toEqual(['first meadow']);

    viewers.watch(alice, new ZoneViewer('arena', 'alice', arena));
    viewers.unwatch(bob);
    viewers.unwatch(bob);
    expect(told).toEqual(['first meadow', 'first arena', 'last meadow']);

    // A join answered after its socket went away leaves the zone it was in, and watches nothing.
    alice.connected = false;
    expect(viewers.watch(alice, new ZoneViewer('arena', 'alice', arena))).toBe(false);
    expect(told).toEqual(['first meadow', 'first arena', 'last meadow', 'last arena']);
  });
});
