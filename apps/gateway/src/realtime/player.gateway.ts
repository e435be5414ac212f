import { randomUUID } from 'node:crypto';
import { ConnectedSocket, MessageBody, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { InventoryView } from '@app/inventory';
import { parseInventoryCommand } from '@app/protocol';
import { PlayerTokens } from '../auth/player-tokens.service';
import { InventoryReply, playerScopedCommandId } from '../inventory/inventory-client';
import { InventoryChangeListener, InventoryConnection } from '../inventory/inventory.module';
import { authenticatePlayer } from './socket-auth.middleware';
import { OnClientEvent } from './client-event';
import { SOCKET_TRANSPORT_BYTES, SocketLimits } from './socket-limits';
import { PlayerServer, PlayerSocket, playerRoom } from './socket-events';

/** Socket.IO on the HTTP port, default namespace (PROTOCOL.md): validates, calls the inventory, answers. */
@WebSocketGateway({ maxHttpBufferSize: SOCKET_TRANSPORT_BYTES })
export class PlayerGateway implements OnGatewayInit<PlayerServer>, InventoryChangeListener {
  @WebSocketServer() private server!: PlayerServer;
  constructor(
    private readonly limits: SocketLimits,
    private readonly tokens: PlayerTokens,
    private readonly inventory: InventoryConnection,
  ) {}

  afterInit(server: PlayerServer): void {
    server.use(authenticatePlayer(this.tokens));
    this.inventory.listen(this);
  }

  changed(playerId: string, inventory: InventoryView): void {
    this.server.to(playerRoom(playerId)).emit('inventory:changed', { inventory });
  }

  @OnClientEvent('inventory:get')
  async get(@ConnectedSocket() socket: PlayerSocket, @MessageBody() payload: unknown): Promise<InventoryReply> {
    return (await this.limits.refusal(socket.id, payload)) ?? this.inventory.client().send(socket.data.playerId, `get:${randomUUID()}`, { type: 'get' });
  }

  @OnClientEvent('inventory:command')
  async command(@ConnectedSocket() socket: PlayerSocket, @MessageBody() payload: unknown): Promise<InventoryReply> {
    const refusal = await this.limits.refusal(socket.id, payload);
    if (refusal) return refusal;
    const parsed = parseInventoryCommand(payload);
    if ('error' in parsed) return { ok: false, error: { code: 'invalid_payload', message: parsed.error } };
    const { playerId } = socket.data;
    return this.inventory.client().send(playerId, playerScopedCommandId(playerId, parsed.commandId), parsed.command, parsed.firstSentMsAgo);
  }
}
