import { ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { InventoryView } from '@app/inventory';
import { InventoryReply } from '@app/protocol';
import { PlayerTokens } from '../auth/player-tokens.service';
import { authenticatePlayer } from '../auth/socket-auth.middleware';
import { RequestStages } from '../shared/request-stages';
import { OnClientEvent } from '../shared/sockets/client-event';
import { PlayerServer, PlayerSocket, playerRoom } from '../shared/sockets/socket-events';
import { SocketDrain } from '../shared/sockets/socket-drain';
import { SOCKET_TRANSPORT_BYTES, SocketLimits } from '../shared/sockets/socket-limits';
import { InventoryChangeListener, InventoryConnection } from './inventory.module';
import { PlayerInventory } from './player-inventory.service';

/**
 * Socket.IO on the HTTP port, default namespace (PROTOCOL.md): the inventory events, and every changed inventory
 * pushed to its player. Authenticates every socket of the server, the zone events' too, and hands each to the drain.
 */
@WebSocketGateway({ maxHttpBufferSize: SOCKET_TRANSPORT_BYTES })
export class InventoryGateway
  implements OnGatewayInit<PlayerServer>, OnGatewayConnection<PlayerSocket>, OnGatewayDisconnect<PlayerSocket>, InventoryChangeListener
{
  @WebSocketServer() private server!: PlayerServer;
  constructor(
    private readonly limits: SocketLimits,
    private readonly tokens: PlayerTokens,
    private readonly connection: InventoryConnection,
    private readonly inventory: PlayerInventory,
    private readonly stages: RequestStages,
    private readonly drain: SocketDrain,
  ) {}

  afterInit(server: PlayerServer): void {
    server.use(authenticatePlayer(this.tokens));
    // After authentication: it tracks only sockets about to connect (and refuses every one while draining).
    server.use((socket, next) => this.drain.admit(socket, next));
    this.connection.listen(this);
  }

  // A player's inventory is followed while the player has a socket here (when following owners).
  handleConnection(socket: PlayerSocket): void {
    this.connection.connected(socket.data.playerId);
  }

  handleDisconnect(socket: PlayerSocket): void {
    this.connection.disconnected(socket.data.playerId);
  }

  changed(playerId: string, inventory: InventoryView): void {
    this.server.to(playerRoom(playerId)).emit('inventory:changed', { inventory });
  }

  @OnClientEvent('inventory:get')
  async get(@ConnectedSocket() socket: PlayerSocket, @MessageBody() payload: unknown): Promise<InventoryReply> {
    return (await this.limits.refusal(socket.id, payload)) ?? this.inventory.get(socket.data.playerId);
  }

  @OnClientEvent('inventory:command')
  command(@ConnectedSocket() socket: PlayerSocket, @MessageBody() payload: unknown): Promise<InventoryReply> {
    return this.stages.timed(
      'inventory_command',
      async () => (await this.limits.refusal(socket.id, payload)) ?? this.inventory.command(socket.data.playerId, payload),
    );
  }
}
