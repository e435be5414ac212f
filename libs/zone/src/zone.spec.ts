import { DivergedError } from '@app/engine';
import { deciderSpec } from '@app/engine/testing';
import { ZONES } from './zone-catalog';
import { zoneCommandSchema, zoneInputSchema } from './zone-commands';
import { zoneDomain } from './zone-domain';
import { evolveZone, initialZoneState, ZoneEvent, ZoneSight } from './zone';
import { ZoneState } from './zone-state';
import { worldOf } from './zone-world';

const meadow = ZONES.meadow;
const joined = (playerId: string): ZoneEvent => ({ type: 'player-joined', playerId });
const fold = (events: ZoneEvent[], state = initialZoneState('meadow')): ZoneState => events.reduce(evolveZone, state);

describe('zone commands', () => {
  const domain = zoneDomain();
  const zone = deciderSpec(domain, 'meadow');

  describe('join and leave', () => {
    it('places a joining player near the spawn point; looking shows what it sees, without logging it', () => {
      zone
        .given([])
        .when({ type: 'join', playerId: 'alice' })
        .thenAccepts([joined('alice')], null);
      const decision = zone
        .given([joined('alice')])
        .when({ type: 'look', playerId: 'alice' })
        .thenAccepts([]);
      const sight = (decision as { reply: ZoneSight }).reply;
      expect(sight).toMatchObject({ zoneId: 'meadow', tick: 0, playerId: 'alice', ackSeq: -1 });
      const self = sight.entities.find((entity) => entity.id === 'alice')!;
      expect(self).toMatchObject({ kind: 'player', hp: meadow.player.hp });
      expect(Math.abs(self.x - meadow.spawn.x)).toBeLessThanOrEqual(100);
      // Only what lies in the 3x3 interest cells around the player.
      for (const entity of sight.entities) {
        expect(Math.abs(Math.floor(entity.x / meadow.interestCell) - Math.floor(self.x / meadow.interestCell))).toBeLessThanOrEqual(1);
        expect(Math.abs(Math.floor(entity.y / meadow.interestCell) - Math.floor(self.y / meadow.interestCell))).toBeLessThanOrEqual(1);
      }
    });

    it('keeps a player that joins again where it is', () => {
      const state = fold([joined('alice')]);
      const moved = { ...state, players: [{ ...state.players[0], x: 42, y: 7 }] };
      expect(fold([joined('alice')], moved).players).toEqual(moved.players);
    });

    it('refuses a zone that does not exist', () => {
      deciderSpec(domain, 'atlantis').given([]).when({ type: 'join', playerId: 'alice' }).thenRejects('not_found');
    });

    it('heals nothing by leaving: a hurt, dead or cooling-down player comes back as it left; a whole one leaves no trace', () => {
      const state = fold([joined('alice'), joined('bob'), joined('carol')]);
      const [alice, bob] = state.players;
      const hurt = { ...state, players: [{ ...alice, hp: 35, readyAt: 7 }, { ...bob, hp: 0, respawnAt: 40 }, state.players[2]] };
      const away = fold(
        [
          { type: 'player-left', playerId: 'alice' },
          { type: 'player-left', playerId: 'bob' },
          { type: 'player-left', playerId: 'carol' },
        ],
        hurt,
      );
      expect(away.departed).toEqual({ alice: { hp: 35, readyAt: 7, leftAt: 0 }, bob: { hp: 0, readyAt: 0, respawnAt: 40, leftAt: 0 } });
      const back = fold([joined('alice'), joined('bob'), joined('carol')], away);
      expect(back.players.map(({ id, hp, readyAt, respawnAt }) => ({ id, hp, readyAt, respawnAt }))).toEqual([
        { id: 'alice', hp: 35, readyAt: 7, respawnAt: undefined },
        { id: 'bob', hp: 0, readyAt: 0, respawnAt: 40 },
        { id: 'carol', hp: meadow.player.hp, readyAt: 0, respawnAt: undefined },
      ]);
      expect(back.departed).toEqual({});
    });

    it('refuses a look from a player that is not in the zone', () => {
      zone.given([]).when({ type: 'look', playerId: 'alice' }).thenRejects('not_found');
    });

    it('lets a player leave, and refuses leaving a zone it is not in', () => {
      zone
        .given([joined('alice')])
        .when({ type: 'leave', playerId: 'alice' })
        .thenAccepts([{ type: 'player-left', playerId: 'alice' }]);
      zone.given([]).when({ type: 'leave', playerId: 'alice' }).thenRejects('not_found');
    });
  });

  describe('input', () => {
    it('takes a direction for the next ticks, ignores an input older than the last, and refuses strangers', () => {
      const input = { type: 'input', playerId: 'alice', seq: 5, move: { x: 1, y: -1 } } as const;
      zone
        .given([joined('alice')])
        .when(input)
        .thenAccepts([{ type: 'input-received', playerId: 'alice', seq: 5, move: { x: 1, y: -1 } }]);
      zone
        .given([joined('alice'), { type: 'input-received', playerId: 'alice', seq: 5, move: { x: 1, y: 0 } }])
        .when(input)
        .thenAccepts([]);
      zone.given([]).when(input).thenRejects('not_found');
    });

    it('refuses anything but a unit direction: a client cannot ask to go faster', () => {
      expect(zoneInputSchema.safeParse({ seq: 1, move: { x: 2, y: 0 } }).success).toBe(false);
      expect(zoneInputSchema.safeParse({ seq: 1, move: { x: 0.5, y: 0 } }).success).toBe(false);
      expect(zoneInputSchema.safeParse({ seq: 1, move: { x: 1, y: 0 }, speed: 99 }).success).toBe(false);
      expect(zoneInputSchema.safeParse({ seq: -1, move: { x: 1, y: 0 } }).success).toBe(false);
      expect(zoneCommandSchema.safeParse({ type: 'input', playerId: 'alice', seq: 1, move: { x: -1, y: 1 } }).success).toBe(true);
    });
  });

  describe('attack', () => {
    const withMonsterAt = (dx: number, hp = meadow.monster.hp): ZoneState => {
      const state = fold([joined('alice')]);
      const alice = state.players[0];
      const monster = { ...state.monsters[0], x: alice.x + dx, y: alice.y, hp };
      return { ...state, monsters: [monster, ...state.monsters.slice(1)] };
    };
    const decide = (state: ZoneState, targetId: string) =>
      zoneDomain().decide({ type: 'attack', playerId: 'alice', targetId }, state, { aggregateId: 'meadow', commandId: 'c', issuedAt: 0 });

    it('queues an attack on a living monster in range for the next tick', () => {
      const state = withMonsterAt(meadow.player.attackRange);
      expect(decide(state, state.monsters[0].id)).toMatchObject({
        kind: 'accepted',
        events: [{ type: 'attack-queued', playerId: 'alice', targetId: state.monsters[0].id }],
      });
    });

    it('refuses a target out of range, an unknown or dead one, and an attacker that is not in the zone or dead', () => {
      const far = withMonsterAt(meadow.player.attackRange + 1);
      expect(decide(far, far.monsters[0].id)).toMatchObject({ kind: 'rejected', rejection: { code: 'out_of_range' } });
      expect(decide(far, 'm9999')).toMatchObject({ kind: 'rejected', rejection: { code: 'not_found' } });
      const dead = { ...far, monsters: [{ ...far.monsters[0], x: far.players[0].x, respawnAt: 50 }, ...far.monsters.slice(1)] };
      expect(decide(dead, dead.monsters[0].id)).toMatchObject({ kind: 'rejected', rejection: { code: 'not_found' } });
      const ghost = { ...far, players: [{ ...far.players[0], respawnAt: 30 }] };
      expect(decide(ghost, far.monsters[0].id)).toMatchObject({ kind: 'rejected', rejection: { code: 'not_found' } });
      expect(
        zoneDomain().decide({ type: 'attack', playerId: 'bob', targetId: far.monsters[0].id }, far, { aggregateId: 'meadow', commandId: 'c', issuedAt: 0 }),
      ).toMatchObject({
        kind: 'rejected',
        rejection: { code: 'not_found' },
      });
    });
  });

  describe('tick', () => {
    it('sleeps while nobody is in the zone: no event, nothing to log', () => {
      zone.given([]).when({ type: 'tick', tick: 1 }).thenAccepts([]);
    });

    it('advances one tick with the hash of the world after it, and ignores any tick but the next', () => {
      const decision = zone
        .given([joined('alice')])
        .when({ type: 'tick', tick: 1 })
        .thenAccepts([{ type: 'ticked', tick: 1, hash: expect.stringMatching(/^[0-9a-f]{16}$/) }]);
      expect(decision.kind === 'accepted' && decision.outbox).toEqual([]);
      zone
        .given([joined('alice')])
        .when({ type: 'tick', tick: 2 })
        .thenAccepts([]);
    });

    it('has the owner tick only zones with players, with ids that name the tick', () => {
      const empty = initialZoneState('meadow');
      const busy = fold([joined('alice')], initialZoneState('arena'));
      expect(
        zoneDomain().timer!.commands(
          new Map([
            ['meadow', empty],
            ['arena', busy],
          ]),
          0,
        ),
      ).toEqual([{ aggregateId: 'arena', commandId: 'tick:arena:1', command: { type: 'tick', tick: 1 } }]);
    });

    it('keeps ticks and inputs out of the dedupe window (their tick number and seq make them idempotent)', () => {
      const { remembers } = zoneDomain();
      expect(
        [{ type: 'tick', tick: 1 } as const, { type: 'input', playerId: 'a', seq: 1, move: { x: 0, y: 0 } } as const].map((command) => remembers!(command)),
      ).toEqual([false, false]);
      expect(remembers!({ type: 'attack', playerId: 'a', targetId: 'm01' })).toBe(true);
    });

    it('stops a replay whose re-simulation does not give the hash in the log', () => {
      const state = fold([joined('alice')]);
      expect(() => evolveZone(state, { type: 'ticked', tick: 1, hash: '0000000000000000' })).toThrow(DivergedError);
    });
  });

  it('answers an admin read with the tick, the hash and every entity', () => {
    const decision = zone
      .given([joined('alice')])
      .when({ type: 'get' })
      .thenAccepts([]);
    expect(decision.kind === 'accepted' && decision.reply).toMatchObject({
      zoneId: 'meadow',
      tick: 0,
      stateHash: expect.stringMatching(/^[0-9a-f]{16}$/),
      players: [{ id: 'alice', kind: 'player' }],
      monsters: expect.arrayContaining([expect.objectContaining({ kind: 'monster', hp: meadow.monster.hp })]),
    });
  });
});

describe('zone world (what gateways receive)', () => {
  const state = fold([joined('alice'), { type: 'input-received', playerId: 'alice', seq: 3, move: { x: 1, y: 0 } }]);

  it('is published once per tick, not for inputs or joins between ticks', () => {
    const view = zoneDomain().view!;
    expect(view('meadow', state, [{ type: 'input-received', playerId: 'alice', seq: 3, move: { x: 1, y: 0 } }])).toBeUndefined();
    expect(view('meadow', state, [joined('bob')])).toBeUndefined();
    expect(view('meadow', state, [{ type: 'ticked', tick: 1, hash: state.hash }])).toEqual(worldOf(state));
  });

  it("carries every visible entity compactly and each player's last applied input", () => {
    const world = worldOf(state);
    expect(world).toMatchObject({ zoneId: 'meadow', tick: 0, acks: { alice: 3 } });
    expect(world.entities).toContainEqual(['alice', 'player', state.players[0].x, state.players[0].y, meadow.player.hp]);
    expect(world.entities.filter(([, kind]) => kind === 'monster')).toHaveLength(meadow.monsters);
  });
});
