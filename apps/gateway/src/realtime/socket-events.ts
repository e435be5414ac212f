import type { Server, Socket } from 'socket.io';

/* eslint-disable @typescript-eslint/no-empty-object-type -- the inventory and zone slices fill these in (PROTOCOL.md) */
/** Events a client sends; none yet. */
export interface ClientToServer {}

/** Events the server pushes; none yet. */
export interface ServerToClient {}
/* eslint-enable @typescript-eslint/no-empty-object-type */

/** What the handshake established; set on every socket that got past authentication. */
export interface PlayerSocketData {
  playerId: string;
  name: string;
}

export type PlayerServer = Server<ClientToServer, ServerToClient, Record<string, never>, PlayerSocketData>;
export type PlayerSocket = Socket<ClientToServer, ServerToClient, Record<string, never>, PlayerSocketData>;

/** Every socket of a player joins this room, so a push to the player reaches all of its connections. */
export const playerRoom = (playerId: string): string => `player:${playerId}`;
