import { randomUUID } from 'node:crypto';
import { ConnectedSocket, MessageBody, OnGatewayDisconnect, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { zoneOf, ZoneSnapshot, ZoneWorld } from '@app/zone';
import { playerScopedCommandId } from '../inventory/inventory-client';
import { Refusal } from '../services/refusal';
import { IndexedWorld, ZoneViewer } from '../zone/zone-viewer';
import { ZoneConnection } from '../zone/zone.module';
import { SOCKET_TRANSPORT_BYTES, SocketLimits } from './socket-limits';
import { PlayerSocket } from './socket-events';
import { parsePayload, zonePayloads } from './zone-payloads';

type Ack<T extends object = object> = ({ ok: true } & T) | Refusal;
const notInZone: Refusal = { ok: false, error: { code: 'not_found', message: 'join a zone first' } };

/**
 * The zone events of PROTOCOL.md. Each socket in a zone has a viewer: every world the zone publishes is cut down
 * to the player's area of interest and sent as a delta (`zone:tick`); joining again, after a reconnect, starts
 * over from a fresh snapshot.
 */
@WebSocketGateway({ maxHttpBufferSize: SOCKET_TRANSPORT_BYTES })
export class ZoneGateway implements OnGatewayDisconnect<PlayerSocket> {
  private readonly viewers = new Map<string, Map<PlayerSocket, ZoneViewer>>();
  private readonly zoneOfSocket = new Map<PlayerSocket, string>();

  constructor(
    private readonly limits: SocketLimits,
    private readonly zones: ZoneConnection,
  ) {
    zones.listen((zoneId, world) => this.published(zoneId, world));
  }

  handleDisconnect(socket: PlayerSocket): void {
    // The player stays in the zone (a reconnect resumes it there); a client gone for good times out in the zone.
    this.unwatch(socket);
  }

  @SubscribeMessage('zone:join')
  async join(@ConnectedSocket() socket: PlayerSocket, @MessageBody() payload: unknown): Promise<Ack<{ snapshot: ZoneSnapshot }>> {
    const parsed = await this.read(socket, payload, zonePayloads.join);
    if (!parsed.ok) return parsed;
    const { zoneId, commandId } = parsed.value;
    if (!zoneOf(zoneId)) return { ok: false, error: { code: 'not_found', message: `no zone ${zoneId}` } };
    const playerId = socket.data.playerId;
    const previous = this.zoneOfSocket.get(socket);
    const reply = await this.zones.client().join(zoneId, playerId, this.commandId(playerId, commandId));
    if (!reply.ok) return reply;
    if (previous && previous !== zoneId) await this.zones.client().leave(previous, playerId, this.commandId(playerId));
    this.unwatch(socket);
    this.watch(socket, new ZoneViewer(zoneId, playerId, reply.snapshot));
    return reply;
  }

  @SubscribeMessage('zone:input')
  async input(@ConnectedSocket() socket: PlayerSocket, @MessageBody() payload: unknown): Promise<Ack> {
    const request = await this.readInZone(socket, payload, zonePayloads.input);
    if (!request.ok) return request;
    try {
      await this.zones.client().input(request.zoneId, request.playerId, request.value.seq, request.value.move);
      return { ok: true };
    } catch {
      return { ok: false, error: { code: 'unavailable', message: 'the zone service is unreachable' } };
    }
  }

  @SubscribeMessage('zone:attack')
  async attack(@ConnectedSocket() socket: PlayerSocket, @MessageBody() payload: unknown): Promise<Ack> {
    const request = await this.readInZone(socket, payload, zonePayloads.attack);
    if (!request.ok) return request;
    const { zoneId, playerId, value } = request;
    return this.zones.client().attack(zoneId, playerId, this.commandId(playerId, value.commandId), value.targetId);
  }

  @SubscribeMessage('zone:leave')
  async leave(@ConnectedSocket() socket: PlayerSocket, @MessageBody() payload: unknown): Promise<Ack> {
    const request = await this.readInZone(socket, payload, zonePayloads.leave);
    if (!request.ok) return request;
    const { zoneId, playerId, value } = request;
    const reply = await this.zones.client().leave(zoneId, playerId, this.commandId(playerId, value.commandId));
    if (reply.ok || reply.error.code === 'not_found') this.unwatch(socket);
    return reply;
  }

  private async read<T>(socket: PlayerSocket, payload: unknown, schema: Parameters<typeof parsePayload<T>>[0]) {
    return (await this.limits.refusal(socket.id, payload)) ?? parsePayload(schema, payload);
  }

  /** A request that needs the socket to be in a zone: within limits, well-formed, and which zone. */
  private async readInZone<T>(socket: PlayerSocket, payload: unknown, schema: Parameters<typeof parsePayload<T>>[0]): Promise<{ ok: true; value: T; zoneId: string; playerId: string } | Refusal> {
    const parsed = await this.read(socket, payload, schema);
    if (!parsed.ok) return parsed;
    const zoneId = this.zoneOfSocket.get(socket);
    return zoneId ? { ok: true, value: parsed.value, zoneId, playerId: socket.data.playerId } : notInZone;
  }

  private commandId(playerId: string, clientCommandId: string = randomUUID()): string {
    return playerScopedCommandId(playerId, `zone:${clientCommandId}`);
  }

  private watch(socket: PlayerSocket, viewer: ZoneViewer): void {
    this.zoneOfSocket.set(socket, viewer.zoneId);
    const watching = this.viewers.get(viewer.zoneId) ?? new Map<PlayerSocket, ZoneViewer>();
    watching.set(socket, viewer);
    this.viewers.set(viewer.zoneId, watching);
  }

  private unwatch(socket: PlayerSocket): void {
    const zoneId = this.zoneOfSocket.get(socket);
    if (!zoneId) return;
    this.zoneOfSocket.delete(socket);
    const watching = this.viewers.get(zoneId);
    watching?.delete(socket);
    if (watching?.size === 0) this.viewers.delete(zoneId);
  }

  private published(zoneId: string, world: ZoneWorld): void {
    const watching = this.viewers.get(zoneId);
    const definition = zoneOf(zoneId);
    if (!watching || !definition) return;
    const indexed = new IndexedWorld(world, definition.interestCell);
    for (const [socket, viewer] of watching) {
      const delta = viewer.next(indexed);
      if (delta) socket.emit('zone:tick', delta);
    }
  }
}
