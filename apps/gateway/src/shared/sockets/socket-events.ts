import type { Server, Socket } from 'socket.io';
import type { ClientToServer, ServerToClient } from '@app/protocol';

/** What the handshake established; set on every socket that got past authentication. */
export interface PlayerSocketData {
  playerId: string;
  name: string;
}

export type PlayerServer = Server<ClientToServer, ServerToClient, Record<string, never>, PlayerSocketData>;
export type PlayerSocket = Socket<ClientToServer, ServerToClient, Record<string, never>, PlayerSocketData>;

/** Every socket of a player joins this room, so a push to the player reaches all of its connections. */
export const playerRoom = (playerId: string): string => `player:${playerId}`;
