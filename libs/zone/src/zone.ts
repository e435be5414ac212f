import { accept, acceptEvolved, Decision, DivergedError, OutgoingCommand, reject, unreachable } from '@app/engine';
import { zoneOf } from './zone-catalog';
import { ZoneCommand } from './zone-commands';
import { InterestGrid } from './interest-grid';
import { simulateTick } from './simulate-tick';
import { departureOf, withDeparture } from './departures';
import { Direction, initialZone, spawnPointOf, STILL, ZonePlayer, ZoneState } from './zone-state';

export type ZoneEvent =
  | { type: 'player-joined'; playerId: string }
  | { type: 'player-left'; playerId: string }
  | { type: 'input-received'; playerId: string; seq: number; move: Direction }
  | { type: 'attack-queued'; playerId: string; targetId: string }
  /** The world advanced one tick; `hash` is the state hash after it, which a replay must reproduce. */
  | { type: 'ticked'; tick: number; hash: string };

/** An entity as clients see it (PROTOCOL.md `zone:tick`). */
export interface ZoneEntity {
  id: string;
  kind: 'player' | 'monster';
  x: number;
  y: number;
  hp: number;
}

/**
 * What a player sees of its zone at the current tick: its area of interest (the answer to `look`, sent as the
 * `snapshot` of `zone:join`'s answer). Not a stored snapshot of the partition.
 */
export interface ZoneSight {
  zoneId: string;
  tick: number;
  playerId: string;
  /** The player's last applied input: a client continues its `seq` after it (also after a restart). */
  ackSeq: number;
  entities: ZoneEntity[];
}

/** The whole zone, for admins. */
export interface ZoneSummary {
  zoneId: string;
  tick: number;
  stateHash: string;
  players: ZoneEntity[];
  monsters: ZoneEntity[];
}

export type ZoneReply = ZoneSight | ZoneSummary | null;

export const initialZoneState = (zoneId: string): ZoneState => initialZone(zoneId, zoneOf(zoneId));

const playerEntity = ({ id, x, y, hp }: ZonePlayer): ZoneEntity => ({ id, kind: 'player', x, y, hp });
const monsterEntities = (state: ZoneState): ZoneEntity[] =>
  state.monsters.filter((monster) => monster.respawnAt === undefined).map(({ id, x, y, hp }) => ({ id, kind: 'monster', x, y, hp }));

/** Every entity a client may see: players, and monsters that are not dead. */
export const visibleEntities = (state: ZoneState): ZoneEntity[] => [...state.players.map(playerEntity), ...monsterEntities(state)];

export function summaryOf(state: ZoneState): ZoneSummary {
  return { zoneId: state.zoneId, tick: state.tick, stateHash: state.hash, players: state.players.map(playerEntity), monsters: monsterEntities(state) };
}

export function sightFor(state: ZoneState, playerId: string, interestCell: number): ZoneSight {
  const self = state.players.find((player) => player.id === playerId);
  const entities = self ? new InterestGrid(interestCell, visibleEntities(state)).around(self.x, self.y) : [];
  return { zoneId: state.zoneId, tick: state.tick, playerId, ackSeq: self?.lastSeq ?? -1, entities };
}

/** The zone rules: players come and go, steer and attack between ticks; the world moves only at a tick. */
export function decideZone(command: ZoneCommand, state: ZoneState): Decision<ZoneEvent, ZoneReply, ZoneState> {
  const definition = zoneOf(state.zoneId);
  if (!definition) return reject('not_found', `no zone ${state.zoneId}`);
  const player = 'playerId' in command ? state.players.find((entry) => entry.id === command.playerId) : undefined;
  const absent = () => reject<ZoneEvent, ZoneReply>('not_found', `player ${'playerId' in command ? command.playerId : ''} is not in zone ${state.zoneId}`);
  switch (command.type) {
    case 'join':
      // Joining again (after a reconnect) keeps the player where it is and counts as being heard from. The
      // answer is small on purpose: it stays in the log; what the player sees comes from `look`.
      return accept([{ type: 'player-joined', playerId: command.playerId }], null);
    case 'look':
      return player ? accept([], sightFor(state, player.id, definition.interestCell)) : absent();
    case 'leave':
      return player ? accept([{ type: 'player-left', playerId: command.playerId }], null) : absent();
    case 'input':
      if (!player) return absent();
      // An input older than one applied already came late or twice: it changes nothing.
      return accept(command.seq > player.lastSeq ? [{ type: 'input-received', playerId: player.id, seq: command.seq, move: command.move }] : [], null);
    case 'attack': {
      if (!player || player.respawnAt !== undefined) return absent();
      const target = state.monsters.find((monster) => monster.id === command.targetId && monster.respawnAt === undefined);
      if (!target) return reject('not_found', `no living monster ${command.targetId}`);
      if ((player.x - target.x) ** 2 + (player.y - target.y) ** 2 > definition.player.attackRange ** 2)
        return reject('out_of_range', `${command.targetId} is out of range`);
      return accept([{ type: 'attack-queued', playerId: player.id, targetId: target.id }], null);
    }
    case 'tick': {
      // A zone with nobody in it sleeps: no tick, no record. A tick other than the next is a repeat.
      // Nobody waits for a tick's answer, and it would sit in the log beside the event: none.
      if (command.tick !== state.tick + 1 || state.players.length === 0) return accept([], null);
      const result = simulateTick(state, definition);
      const outbox: OutgoingCommand[] = result.drops.map((drop) => {
        const lootId = `loot:${state.zoneId}:${result.state.tick}:${drop.monsterId}`;
        return { service: 'inventory', aggregateId: drop.playerId, commandId: lootId, command: { type: 'loot', lootId, gold: drop.gold, items: drop.items } };
      });
      // The simulated world goes with the decision, so the live owner does not simulate the tick again to evolve it.
      return acceptEvolved([{ type: 'ticked', tick: result.state.tick, hash: result.state.hash }], null, outbox, result.state);
    }
    case 'get':
      return accept([], summaryOf(state));
    default:
      return unreachable(command);
  }
}

export function evolveZone(state: ZoneState, event: ZoneEvent): ZoneState {
  switch (event.type) {
    case 'player-joined': {
      if (state.players.some((player) => player.id === event.playerId))
        return withPlayer(state, event.playerId, (player) => ({ ...player, seenAt: state.tick }));
      const definition = zoneOf(state.zoneId)!;
      const { [event.playerId]: before, ...departed } = state.departed;
      const fresh: ZonePlayer = {
        id: event.playerId,
        ...spawnPointOf(event.playerId, definition),
        hp: definition.player.hp,
        move: STILL,
        lastSeq: -1,
        seenAt: state.tick,
        readyAt: 0,
      };
      // Comes back as it left (a forgotten departure comes back whole, as `fresh`).
      const joined: ZonePlayer = before
        ? { ...fresh, hp: before.hp, readyAt: before.readyAt, ...(before.respawnAt === undefined ? {} : { respawnAt: before.respawnAt }) }
        : fresh;
      const players = [...state.players, joined].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return { ...state, players, departed };
    }
    case 'player-left': {
      const leaving = state.players.find((player) => player.id === event.playerId)!;
      const departure = departureOf(leaving, zoneOf(state.zoneId)!.player.hp, state.tick);
      const departed = departure ? withDeparture(state.departed, event.playerId, departure) : state.departed;
      return { ...state, players: state.players.filter((player) => player.id !== event.playerId), departed };
    }
    case 'input-received':
      return withPlayer(state, event.playerId, (player) => ({ ...player, move: event.move, lastSeq: event.seq, seenAt: state.tick }));
    case 'attack-queued':
      return withPlayer(state, event.playerId, (player) => ({ ...player, attack: event.targetId, seenAt: state.tick }));
    case 'ticked': {
      const result = simulateTick(state, zoneOf(state.zoneId)!);
      if (result.state.tick !== event.tick || result.state.hash !== event.hash) {
        throw new DivergedError(
          `zone ${state.zoneId} at tick ${event.tick}: the log says hash ${event.hash}, re-simulation gives ${result.state.hash} (tick ${result.state.tick})`,
        );
      }
      return result.state;
    }
    default:
      return unreachable(event);
  }
}

function withPlayer(state: ZoneState, playerId: string, change: (player: ZonePlayer) => ZonePlayer): ZoneState {
  return { ...state, players: state.players.map((player) => (player.id === playerId ? change(player) : player)) };
}
