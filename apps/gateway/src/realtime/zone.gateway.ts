import { randomUUID } from 'node:crypto';
import { ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import { parsePayload, Refusal, Reply, zonePayloads, ZoneJoinReply } from '@app/protocol';
import { zoneOf } from '@app/zone';
import { playerScopedCommandId } from '../inventory/inventory-client';
import { ZoneViewer } from '../zone/zone-viewer';
import { ZoneViewers } from '../zone/zone-viewers';
import { ZoneConnection } from '../zone/zone.module';
import { OnClientEvent } from './client-event';
import { SOCKET_TRANSPORT_BYTES, SocketLimits } from './socket-limits';
import { PlayerSocket } from './socket-events';

const notInZone: Refusal = { ok: false, error: { code: 'not_found', message: 'join a zone first' } };

/**
 * The zone events of PROTOCOL.md. Each socket in a zone has a viewer: every world the zone publishes is cut down
 * to the player's area of interest and sent as a delta (`zone:tick`); joining again, after a reconnect, starts
 * over from a fresh snapshot.
 */
@WebSocketGateway({ maxHttpBufferSize: SOCKET_TRANSPORT_BYTES })
export class ZoneGateway implements OnGatewayConnection<PlayerSocket>, OnGatewayDisconnect<PlayerSocket> {
  constructor(
    private readonly limits: SocketLimits,
    private readonly zones: ZoneConnection,
    private readonly viewers: ZoneViewers<PlayerSocket>,
  ) {
    zones.listen((zoneId, world) => viewers.published(zoneId, world, (socket, delta) => socket.emit('zone:tick', delta)));
  }

  handleConnection(): void {
    this.viewers.connected();
  }

  handleDisconnect(socket: PlayerSocket): void {
    // The player stays in the zone (a reconnect resumes it there); a client gone for good times out in the zone.
    // A join still in flight watches nothing once it ends: the socket is no longer connected then.
    this.viewers.disconnected(socket);
  }

  @OnClientEvent('zone:join')
  async join(@ConnectedSocket() socket: PlayerSocket, @MessageBody() payload: unknown): Promise<ZoneJoinReply> {
    const parsed = await this.read(socket, payload, zonePayloads.join);
    if (!parsed.ok) return parsed;
    const { zoneId, commandId, firstSentMsAgo } = parsed.value;
    if (!zoneOf(zoneId)) return { ok: false, error: { code: 'not_found', message: `no zone ${zoneId}` } };
    const playerId = socket.data.playerId;
    const previous = this.viewers.zoneOf(socket);
    return this.viewers.joining(async () => {
      const reply = await this.zones.client().join(zoneId, { playerId, firstSentMsAgo }, this.commandId(playerId, commandId));
      if (!reply.ok) return reply;
      if (previous && previous !== zoneId) await this.zones.client().leave(previous, { playerId }, this.commandId(playerId));
      // Watches only if the socket is still connected (its disconnect may have come while the join was in flight).
      this.viewers.watch(socket, new ZoneViewer(zoneId, playerId, reply.snapshot));
      return reply;
    });
  }

  @OnClientEvent('zone:input')
  async input(@ConnectedSocket() socket: PlayerSocket, @MessageBody() payload: unknown): Promise<Reply> {
    const request = await this.readInZone(socket, payload, zonePayloads.input);
    if (!request.ok) return request;
    try {
      await this.zones.client().input(request.zoneId, request.playerId, request.value.seq, request.value.move);
      return { ok: true };
    } catch {
      return { ok: false, error: { code: 'unavailable', message: 'the zone service is unreachable' } };
    }
  }

  @OnClientEvent('zone:attack')
  async attack(@ConnectedSocket() socket: PlayerSocket, @MessageBody() payload: unknown): Promise<Reply> {
    const request = await this.readInZone(socket, payload, zonePayloads.attack);
    if (!request.ok) return request;
    const { zoneId, playerId, value } = request;
    return this.zones.client().attack(zoneId, { playerId, firstSentMsAgo: value.firstSentMsAgo }, this.commandId(playerId, value.commandId), value.targetId);
  }

  @OnClientEvent('zone:leave')
  async leave(@ConnectedSocket() socket: PlayerSocket, @MessageBody() payload: unknown): Promise<Reply> {
    const request = await this.readInZone(socket, payload, zonePayloads.leave);
    if (!request.ok) return request;
    const { zoneId, playerId, value } = request;
    const reply = await this.zones.client().leave(zoneId, { playerId, firstSentMsAgo: value.firstSentMsAgo }, this.commandId(playerId, value.commandId));
    if (reply.ok || reply.error.code === 'not_found') this.viewers.unwatch(socket);
    return reply;
  }

  private async read<T>(socket: PlayerSocket, payload: unknown, schema: Parameters<typeof parsePayload<T>>[0]) {
    return (await this.limits.refusal(socket.id, payload)) ?? parsePayload(schema, payload);
  }

  /** A request that needs the socket to be in a zone: within limits, well-formed, and which zone. */
  private async readInZone<T>(socket: PlayerSocket, payload: unknown, schema: Parameters<typeof parsePayload<T>>[0]): Promise<{ ok: true; value: T; zoneId: string; playerId: string } | Refusal> {
    const parsed = await this.read(socket, payload, schema);
    if (!parsed.ok) return parsed;
    const zoneId = this.viewers.zoneOf(socket);
    return zoneId ? { ok: true, value: parsed.value, zoneId, playerId: socket.data.playerId } : notInZone;
  }

  private commandId(playerId: string, clientCommandId: string = randomUUID()): string {
    return playerScopedCommandId(playerId, `zone:${clientCommandId}`);
  }
}
