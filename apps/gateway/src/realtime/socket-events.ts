import type { Server, Socket } from 'socket.io';
import type { InventoryView } from '@app/inventory';
import type { ZoneSnapshot, ZoneTick } from '@app/zone';
import type { InventoryReply } from '../inventory/inventory-client';
import type { Refusal } from '../services/refusal';

/** The event names, at run time too: docs/asyncapi.yaml is checked against them (and these against the maps below). */
export const CLIENT_EVENTS = ['inventory:get', 'inventory:command', 'zone:join', 'zone:input', 'zone:attack', 'zone:leave'] as const satisfies readonly (keyof ClientToServer)[];
export const SERVER_EVENTS = ['inventory:changed', 'zone:tick'] as const satisfies readonly (keyof ServerToClient)[];
type Missing<Map, Names extends readonly unknown[]> = Exclude<keyof Map, Names[number]>;
// Compile errors here mean an event was added to a map but not to its list.
const everyClientEvent: Missing<ClientToServer, typeof CLIENT_EVENTS> extends never ? true : never = true;
const everyServerEvent: Missing<ServerToClient, typeof SERVER_EVENTS> extends never ? true : never = true;
void everyClientEvent;
void everyServerEvent;

/** Events a client sends (PROTOCOL.md); each answers through its acknowledgement. */
export interface ClientToServer {
  'inventory:get': (payload: unknown, ack: (reply: InventoryReply) => void) => void;
  'inventory:command': (payload: unknown, ack: (reply: InventoryReply) => void) => void;
  'zone:join': (payload: unknown, ack: (reply: { ok: true; snapshot: ZoneSnapshot } | Refusal) => void) => void;
  'zone:input': (payload: unknown, ack?: (reply: { ok: true } | Refusal) => void) => void;
  'zone:attack': (payload: unknown, ack: (reply: { ok: true } | Refusal) => void) => void;
  'zone:leave': (payload: unknown, ack: (reply: { ok: true } | Refusal) => void) => void;
}

/** Events the server pushes. */
export interface ServerToClient {
  'inventory:changed': (update: { inventory: InventoryView }) => void;
  'zone:tick': (tick: ZoneTick) => void;
}

/** What the handshake established; set on every socket that got past authentication. */
export interface PlayerSocketData {
  playerId: string;
  name: string;
}

export type PlayerServer = Server<ClientToServer, ServerToClient, Record<string, never>, PlayerSocketData>;
export type PlayerSocket = Socket<ClientToServer, ServerToClient, Record<string, never>, PlayerSocketData>;

/** Every socket of a player joins this room, so a push to the player reaches all of its connections. */
export const playerRoom = (playerId: string): string => `player:${playerId}`;
