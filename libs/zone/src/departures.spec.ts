import { DEPARTED_TICKS, DepartedPlayer, Departures, departuresDigest, forgetDepartures, MAX_DEPARTED, withDeparture } from './departures';
import { simulateTick } from './simulate-tick';
import { ZONES } from './zone-catalog';
import { evolveZone, initialZoneState, ZoneEvent } from './zone';
import { ZoneState, zoneHash } from './zone-state';

const meadow = ZONES.meadow;
const fullHp = meadow.player.hp;
const joined = (playerId: string): ZoneEvent => ({ type: 'player-joined', playerId });
const left = (playerId: string): ZoneEvent => ({ type: 'player-left', playerId });
/** A zone at `tick` that remembers `departed`, hashed as the simulation would. */
const zoneAt = (tick: number, departed: Departures, base = initialZoneState('meadow')): ZoneState => {
  const state = { ...base, tick, departed };
  return { ...state, hash: zoneHash(state) };
};
const tickOf = (state: ZoneState) => simulateTick(state, meadow).state;
const rejoined = (state: ZoneState, playerId: string) => evolveZone(state, joined(playerId)).players.find((player) => player.id === playerId)!;

describe('departed players (bounded memory of who left hurt, dead or cooling down)', () => {
  it('given a player that left hurt, when it comes back within DEPARTED_TICKS, then it is as hurt as it left', () => {
    const zone = zoneAt(DEPARTED_TICKS - 1, { alice: { hp: 35, readyAt: 0, leftAt: 0 } });
    const later = tickOf(zone);
    expect(later.tick).toBe(DEPARTED_TICKS);
    expect(rejoined(later, 'alice').hp).toBe(35);
  });

  it('given a player that left hurt, when more than DEPARTED_TICKS ticks went by, then the zone forgets it and it comes back whole', () => {
    const zone = zoneAt(DEPARTED_TICKS, { alice: { hp: 35, readyAt: 0, leftAt: 0 } });
    const later = tickOf(zone);
    expect(later.departed).toEqual({});
    expect(rejoined(later, 'alice')).toMatchObject({ hp: fullHp, readyAt: 0 });
    expect(rejoined(later, 'alice').respawnAt).toBeUndefined();
  });

  it('given a dead player that left, when its respawn time and cooldown are over, then nothing is left to remember', () => {
    const dead: DepartedPlayer = { hp: 0, readyAt: 12, respawnAt: 10, leftAt: 5 };
    expect(tickOf(zoneAt(9, { bob: dead })).departed).toEqual({ bob: dead });
    expect(tickOf(zoneAt(10, { bob: dead })).departed).toEqual({ bob: dead });
    expect(tickOf(zoneAt(11, { bob: dead })).departed).toEqual({});
  });

  it('given a player that left whole but cooling down, when the cooldown is over, then it is forgotten', () => {
    const cooling: DepartedPlayer = { hp: fullHp, readyAt: 8, leftAt: 5 };
    expect(tickOf(zoneAt(6, { carol: cooling })).departed).toEqual({ carol: cooling });
    expect(tickOf(zoneAt(7, { carol: cooling })).departed).toEqual({});
  });

  it('given a zone that remembers MAX_DEPARTED players, when one more leaves hurt, then the one that left first is forgotten', () => {
    let departed: Departures = {};
    // Ids in reverse of the order they left: the oldest goes, not the first by name.
    for (let index = 0; index < MAX_DEPARTED; index++)
      departed = withDeparture(departed, `p${String(MAX_DEPARTED - index).padStart(5, '0')}`, { hp: 1, readyAt: 0, leftAt: index });
    const zone = fold([joined('zed')], zoneAt(MAX_DEPARTED, departed));
    const hurt = { ...zone, players: zone.players.map((player) => ({ ...player, hp: 2 })) };
    const after = evolveZone(hurt, left('zed')).departed;
    expect(Object.keys(after)).toHaveLength(MAX_DEPARTED);
    expect(after.zed).toEqual({ hp: 2, readyAt: 0, leftAt: MAX_DEPARTED });
    expect(after[`p${String(MAX_DEPARTED).padStart(5, '0')}`]).toBeUndefined();
    expect(after[`p${String(MAX_DEPARTED - 1).padStart(5, '0')}`]).toEqual({ hp: 1, readyAt: 0, leftAt: 1 });
  });

  it('given a player that leaves again, when it was remembered already, then only its newest departure is kept', () => {
    const once = withDeparture({}, 'alice', { hp: 10, readyAt: 0, leftAt: 1 });
    expect(withDeparture(once, 'alice', { hp: 5, readyAt: 0, leftAt: 9 })).toEqual({ alice: { hp: 5, readyAt: 0, leftAt: 9 } });
  });

  it('copies nothing on a tick that forgets nothing', () => {
    const departed = { alice: { hp: 35, readyAt: 0, leftAt: 0 } };
    expect(forgetDepartures(departed, 1, fullHp)).toBe(departed);
  });

  it('hashes departures whatever order they were added in, and tells any difference', () => {
    const a: DepartedPlayer = { hp: 35, readyAt: 3, leftAt: 1 };
    const b: DepartedPlayer = { hp: 0, readyAt: 0, respawnAt: 40, leftAt: 2 };
    expect(departuresDigest({ a, b })).toBe(departuresDigest({ b, a }));
    const variants: Departures[] = [{ a: { ...a, hp: 34 }, b }, { a: { ...a, leftAt: 2 }, b }, { a, b: { ...b, respawnAt: 41 } }, { a }, { a, c: b }];
    for (const changed of variants) {
      expect(departuresDigest(changed)).not.toBe(departuresDigest({ a, b }));
    }
  });

  it('replays to the same hashes: forgetting depends on the state and the tick alone', () => {
    // Players die, leave, are forgotten once their death is served, and come back: live and replayed agree.
    const live: ZoneEvent[] = [];
    let state = fold([joined('a'), joined('b')]);
    state = { ...state, players: state.players.map((player) => ({ ...player, hp: 0, respawnAt: 3 })) };
    const start = state;
    const play = (event: ZoneEvent) => {
      state = evolveZone(state, event);
      live.push(event);
    };
    for (let tick = 1; tick <= 6; tick++) {
      if (tick === 2) play(left('a'));
      if (tick === 5) play(joined('a'));
      const next = tickOf(state);
      play({ type: 'ticked', tick: next.tick, hash: next.hash });
    }
    const replayed = (JSON.parse(JSON.stringify(live)) as ZoneEvent[]).reduce(evolveZone, JSON.parse(JSON.stringify(start)) as ZoneState);
    expect(replayed).toEqual(state);
    expect(state.departed).toEqual({});
  });
});

function fold(events: ZoneEvent[], state = initialZoneState('meadow')): ZoneState {
  return events.reduce(evolveZone, state);
}
