import type { InventoryView } from '@app/inventory';
import type { ZoneSight, ZoneTick } from '@app/zone';
import type { InventoryCommandRequest } from './inventory-command-payload';
import type { DrainingNotice } from './draining';
import type { Reply } from './refusal';
import type { ZoneAttackRequest, ZoneInputRequest, ZoneJoinRequest, ZoneLeaveRequest } from './zone-payloads';

/** What `inventory:get`, `inventory:command` and an admin read or grant answer: the inventory after it, or a refusal. */
export type InventoryReply = Reply<{ inventory: InventoryView }>;
export type ZoneJoinReply = Reply<{ snapshot: ZoneSight }>;

/**
 * Events a client sends (PROTOCOL.md), each with what the client sends; each answers through its acknowledgement.
 * The server reads every payload as untrusted (the schemas beside this file) whatever these types say.
 */
export interface ClientToServer {
  'inventory:get': (request: Record<string, never>, ack: (reply: InventoryReply) => void) => void;
  'inventory:command': (request: InventoryCommandRequest, ack: (reply: InventoryReply) => void) => void;
  'zone:join': (request: ZoneJoinRequest, ack: (reply: ZoneJoinReply) => void) => void;
  /** Not acknowledged by clients that do not ask: a lost input is overtaken by the next one. */
  'zone:input': (request: ZoneInputRequest, ack?: (reply: Reply) => void) => void;
  'zone:attack': (request: ZoneAttackRequest, ack: (reply: Reply) => void) => void;
  'zone:leave': (request: ZoneLeaveRequest, ack: (reply: Reply) => void) => void;
}

/** Events the server pushes. */
export interface ServerToClient {
  'inventory:changed': (update: { inventory: InventoryView }) => void;
  'zone:tick': (tick: ZoneTick) => void;
  /** This gateway is stopping: move to another one (see DrainingNotice). */
  'server:draining': (notice: DrainingNotice) => void;
}

/** The event names, at run time too: docs/asyncapi.yaml is checked against them (and these against the maps above). */
export const CLIENT_EVENTS = [
  'inventory:get',
  'inventory:command',
  'zone:join',
  'zone:input',
  'zone:attack',
  'zone:leave',
] as const satisfies readonly (keyof ClientToServer)[];
export const SERVER_EVENTS = ['inventory:changed', 'zone:tick', 'server:draining'] as const satisfies readonly (keyof ServerToClient)[];
type Missing<Map, Names extends readonly unknown[]> = Exclude<keyof Map, Names[number]>;
// Compile errors here mean an event was added to a map but not to its list.
const everyClientEvent: Missing<ClientToServer, typeof CLIENT_EVENTS> extends never ? true : never = true;
const everyServerEvent: Missing<ServerToClient, typeof SERVER_EVENTS> extends never ? true : never = true;
void everyClientEvent;
void everyServerEvent;

/** What a client sends with event `E`, and the reply its acknowledgement carries. */
export type RequestOf<E extends keyof ClientToServer> = Parameters<ClientToServer[E]>[0];
export type ReplyOf<E extends keyof ClientToServer> = Parameters<NonNullable<Parameters<ClientToServer[E]>[1]>>[0];
/** The client events answered through an acknowledgement every time (`zone:input` is answered only if asked). */
export type AcknowledgedEvent = Exclude<keyof ClientToServer, 'zone:input'>;
