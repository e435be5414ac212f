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
});
