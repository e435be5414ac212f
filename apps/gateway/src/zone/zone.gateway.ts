import { ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import { parsePayload, Refusal, Reply, zonePayloads, ZoneJoinReply } from '@app/protocol';
import { OnClientEvent } from '../shared/sockets/client-event';
import { PlayerSocket } from '../shared/sockets/socket-events';
import { SOCKET_TRANSPORT_BYTES, SocketLimits } from '../shared/sockets/socket-limits';
import { ZoneSessions } from './zone-sessions.service';
import { ZoneViewers } from './zone-viewers';
import { ZoneConnection } from './zone-connection';

/**
 * The zone events of PROTOCOL.md. Each socket in a zone has a viewer: every world the zone publishes is cut down
 * to the player's area of interest and sent as a delta (`zone:tick`); joining again, after a reconnect, starts
 * over from a fresh snapshot.
 */
@WebSocketGateway({ maxHttpBufferSize: SOCKET_TRANSPORT_BYTES })
export class ZoneGateway implements OnGatewayConnection<PlayerSocket>, OnGatewayDisconnect<PlayerSocket> {
  constructor(
    private readonly limits: SocketLimits,
    private readonly sessions: ZoneSessions,
    private readonly viewers: ZoneViewers<PlayerSocket>,
    zones: ZoneConnection,
  ) {
    zones.listen((zoneId, world) => viewers.published(zoneId, world, (socket, delta) => socket.emit('zone:tick', delta)));
    // The worlds of a zone are wanted here while some socket here views it.
    viewers.onZones({ first: (zoneId) => zones.viewed(zoneId), last: (zoneId) => zones.unviewed(zoneId) });
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
    const request = await this.read(socket, payload, zonePayloads.join);
    return request.ok ? this.sessions.join(socket, request.value) : request;
  }

  @OnClientEvent('zone:input')
  async input(@ConnectedSocket() socket: PlayerSocket, @MessageBody() payload: unknown): Promise<Reply> {
    const request = await this.read(socket, payload, zonePayloads.input);
    return request.ok ? this.sessions.input(socket, request.value) : request;
  }

  @OnClientEvent('zone:attack')
  async attack(@ConnectedSocket() socket: PlayerSocket, @MessageBody() payload: unknown): Promise<Reply> {
    const request = await this.read(socket, payload, zonePayloads.attack);
    return request.ok ? this.sessions.attack(socket, request.value) : request;
  }

  @OnClientEvent('zone:leave')
  async leave(@ConnectedSocket() socket: PlayerSocket, @MessageBody() payload: unknown): Promise<Reply> {
    const request = await this.read(socket, payload, zonePayloads.leave);
    return request.ok ? this.sessions.leave(socket, request.value) : request;
  }

  /** Within the socket's limits and well-formed, or the refusal to answer with. */
  private async read<T>(socket: PlayerSocket, payload: unknown, schema: Parameters<typeof parsePayload<T>>[0]): Promise<{ ok: true; value: T } | Refusal> {
    return (await this.limits.refusal(socket.id, payload)) ?? parsePayload(schema, payload);
  }
}
