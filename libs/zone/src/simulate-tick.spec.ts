import { OutgoingCommand } from '@app/engine';
import { TickRandom } from './seeded-random';
import { IDLE_TICKS, simulateTick } from './simulate-tick';
import { ZONES } from './zone-catalog';
import { ZoneCommand } from './zone-commands';
import { zoneDomain } from './zone-domain';
import { evolveZone, initialZoneState, ZoneEvent } from './zone';
import { Direction, STILL, ZoneMonster, ZonePlayer, ZoneState, zoneHash } from './zone-state';

const meadow = ZONES.meadow;
const player = (id: string, fields: Partial<ZonePlayer> = {}): ZonePlayer => ({
  id,
  x: 1_000,
  y: 1_000,
  hp: meadow.player.hp,
  move: STILL,
  lastSeq: 0,
  seenAt: 0,
  readyAt: 0,
  ...fields,
});
const monster = (id: string, fields: Partial<ZoneMonster> = {}): ZoneMonster => ({
  id,
  x: 1_500,
  y: 1_500,
  hp: meadow.monster.hp,
  home: { x: fields.x ?? 1_500, y: fields.y ?? 1_500 },
  heading: STILL,
  // Standing still unless a test says otherwise: no wandering within these tests' horizon.
  headingUntil: 1_000_000,
  readyAt: 0,
  ...fields,
});
const world = (players: ZonePlayer[], monsters: ZoneMonster[] = [], tick = 0): ZoneState => {
  const state = { zoneId: 'meadow', tick, players, monsters, departed: {} };
  return { ...state, hash: zoneHash(state) };
};
const run = (state: ZoneState, ticks: number) => {
  let current = state;
  const drops = [];
  for (let tick = 0; tick < ticks; tick++) {
    const result = simulateTick(current, meadow);
    drops.push(...result.drops);
    current = result.state;
  }
  return { state: current, drops };
};

describe('zone simulation', () => {
  describe('players', () => {
    it('move their speed per tick in the direction of their last input, about as far on a diagonal', () => {
      const { state } = run(world([player('a', { move: { x: 1, y: 0 } }), player('b', { move: { x: -1, y: 1 } })]), 3);
      expect(state.players[0]).toMatchObject({ x: 1_000 + 3 * meadow.player.speed, y: 1_000 });
      const diagonal = Math.trunc((meadow.player.speed * 7_071) / 10_000);
      expect(state.players[1]).toMatchObject({ x: 1_000 - 3 * diagonal, y: 1_000 + 3 * diagonal });
    });

    it('cannot leave the zone: pushing against an edge keeps them on it', () => {
      const { state } = run(world([player('a', { x: meadow.width - 10, y: 5, move: { x: 1, y: -1 } })]), 5);
      expect(state.players[0]).toMatchObject({ x: meadow.width, y: 0 });
    });

    it('go no faster for sending many inputs between two ticks: only the last one steers', () => {
      let state = world([player('a')]);
      for (let seq = 1; seq <= 50; seq++) state = evolveZone(state, { type: 'input-received', playerId: 'a', seq, move: { x: 1, y: 0 } });
      expect(simulateTick(state, meadow).state.players[0].x).toBe(1_000 + meadow.player.speed);
    });

    it('are taken out after IDLE_TICKS without a word from them, remembered if hurt', () => {
      const { state } = run(world([player('quiet', { hp: 40 }), player('busy', { seenAt: IDLE_TICKS })], [], IDLE_TICKS), 1);
      expect(state.players.map((entry) => entry.id)).toEqual(['busy']);
      expect(state.departed).toEqual({ quiet: { hp: 40, readyAt: 0, leftAt: IDLE_TICKS + 1 } });
    });
  });

  describe('combat', () => {
    it('lands an attack in range at the tick; one queued during the cooldown lands when it is over', () => {
      const start = world([player('a', { attack: 'm1' })], [monster('m1', { x: 1_100, y: 1_000 })]);
      const first = simulateTick(start, meadow).state;
      expect(first.monsters[0].hp).toBe(meadow.monster.hp - meadow.player.damage);
      expect(first.players[0].attack).toBeUndefined();
      const early = simulateTick({ ...first, players: [{ ...first.players[0], attack: 'm1' }] }, meadow).state;
      expect(early.monsters[0].hp).toBe(first.monsters[0].hp);
      expect(early.players[0].attack).toBe('m1');
      const later = run(early, meadow.player.cooldownTicks).state;
      expect(later.monsters[0].hp).toBe(meadow.monster.hp - 2 * meadow.player.damage);
      expect(later.players[0].attack).toBeUndefined();
    });

    it('misses a target that walked out of range before the tick', () => {
      const { state } = run(world([player('a', { attack: 'm1' })], [monster('m1', { x: 1_000 + meadow.player.attackRange + 1, y: 1_000 })]), 1);
      expect(state.monsters[0].hp).toBe(meadow.monster.hp);
    });

    it('drops loot for the player who dealt the last blow, and brings the monster back home after its respawn time', () => {
      const start = world([player('a', { attack: 'm1' })], [monster('m1', { x: 1_100, y: 1_000, hp: meadow.player.damage })]);
      const { state, drops } = simulateTick(start, meadow);
      expect(state.monsters[0]).toMatchObject({ hp: 0, respawnAt: 1 + meadow.monster.respawnTicks });
      expect(drops).toEqual([{ playerId: 'a', monsterId: 'm1', gold: expect.any(Number), items: expect.any(Object) }]);
      expect(drops[0].gold).toBeGreaterThanOrEqual(meadow.loot.gold.min);
      expect(drops[0].gold).toBeLessThanOrEqual(meadow.loot.gold.max);
      const back = run(state, meadow.monster.respawnTicks).state.monsters[0];
      expect(back).toMatchObject({ hp: meadow.monster.hp, x: 1_100, y: 1_000 });
      expect(back.respawnAt).toBeUndefined();
    });

    it('has monsters chase a player in aggro range and strike it down; the player comes back at the spawn point', () => {
      const hunted = world([player('a', { x: 1_000, y: 1_000, hp: meadow.monster.damage })], [monster('m1', { x: 1_200, y: 1_000 })]);
      let state = hunted;
      let ticks = 0;
      while (state.players[0].respawnAt === undefined && ticks < 100) {
        state = simulateTick(state, meadow).state;
        ticks++;
      }
      expect(state.players[0]).toMatchObject({ hp: 0, move: STILL });
      expect(state.monsters[0].x).toBeLessThan(1_200);
      const back = run(state, meadow.player.respawnTicks).state.players[0];
      expect(back.hp).toBe(meadow.player.hp);
      expect(Math.abs(back.x - meadow.spawn.x)).toBeLessThanOrEqual(100);
    });

    it('leaves players beyond aggro range alone, and keeps wandering monsters near home', () => {
      const { state } = run(world([player('a', { x: 100, y: 100 })], [monster('m1', { headingUntil: 0 })]), 500);
      expect(state.players[0].hp).toBe(meadow.player.hp);
      const { x, y, home } = state.monsters[0];
      expect((x - home.x) ** 2 + (y - home.y) ** 2).toBeLessThanOrEqual((meadow.monster.leash + meadow.monster.speed) ** 2);
    });
  });

  describe('determinism', () => {
    const domain = zoneDomain();
    const PLAYERS = Array.from({ length: 20 }, (_, index) => `p${String(index).padStart(2, '0')}`);

    /** Scripted play, itself seeded: players join, steer now and then, and attack whatever is in range. */
    function commandsAt(state: ZoneState, tick: number): ZoneCommand[] {
      if (tick === 1) return PLAYERS.map((playerId) => ({ type: 'join', playerId }));
      const script = new TickRandom('script', tick);
      const commands: ZoneCommand[] = [];
      for (const { id, x, y, lastSeq } of state.players) {
        if (script.below(10) === 0)
          commands.push({ type: 'input', playerId: id, seq: lastSeq + 1, move: { x: script.below(3) - 1, y: script.below(3) - 1 } as Direction });
        const prey = state.monsters.find(
          (entry) => entry.respawnAt === undefined && (entry.x - x) ** 2 + (entry.y - y) ** 2 <= ZONES.meadow.player.attackRange ** 2,
        );
        if (prey) commands.push({ type: 'attack', playerId: id, targetId: prey.id });
      }
      return commands;
    }

    /**
     * The engine's live path: decide, then keep the state a tick's decision carries or evolve each accepted event;
     * returns the hash after every tick and the log.
     */
    function playLive(ticks: number, restoreAt?: number) {
      let state = initialZoneState('meadow');
      const hashes: string[] = [];
      const log: ZoneEvent[] = [];
      const loot: OutgoingCommand[] = [];
      for (let tick = 1; tick <= ticks; tick++) {
        // A snapshot is the state as JSON; restoring it must change nothing that follows.
        if (tick === restoreAt) state = JSON.parse(JSON.stringify(state)) as ZoneState;
        for (const command of [...commandsAt(state, tick), { type: 'tick', tick } as const]) {
          const decision = domain.decide(command, state, { aggregateId: 'meadow', commandId: `c-${tick}`, issuedAt: 0 });
          if (decision.kind !== 'accepted') continue;
          state = decision.evolved ?? decision.events.reduce(evolveZone, state);
          log.push(...decision.events);
          loot.push(...decision.outbox);
        }
        hashes.push(state.hash);
      }
      return { state, hashes, log, loot };
    }

    const TICKS = 3_000;
    const live = playLive(TICKS);

    it('gives the same hash at every tick for the same seed and inputs, over thousands of ticks with fights and loot', () => {
      expect(playLive(TICKS).hashes).toEqual(live.hashes);
      expect(new Set(live.hashes).size).toBe(TICKS);
      expect(live.loot.length).toBeGreaterThan(0);
      expect(live.state.tick).toBe(TICKS);
    });

    it('gives the same hashes across a snapshot and restore in the middle', () => {
      expect(playLive(TICKS, TICKS / 2).hashes).toEqual(live.hashes);
    });

    it('re-simulates the same world from the log alone, checking every tick against the hash it recorded', () => {
      // Fresh objects from JSON, as replay reads them: every tick simulated again and checked against its hash.
      const replayed = (JSON.parse(JSON.stringify(live.log)) as ZoneEvent[]).reduce(evolveZone, initialZoneState('meadow'));
      expect(replayed).toEqual(live.state);
    });

    it('draws another world from another zone id', () => {
      const other = simulateTick({ ...initialZoneState('arena'), players: [player('a')] }, ZONES.arena).state.hash;
      const same = simulateTick({ ...initialZoneState('arena'), players: [player('a')] }, ZONES.arena).state.hash;
      expect(other).toBe(same);
      expect(initialZoneState('arena').hash).not.toBe(initialZoneState('meadow').hash);
    });
  });
});
