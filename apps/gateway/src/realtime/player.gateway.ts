import { OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { PlayerTokens } from '../auth/player-tokens.service';
import { authenticatePlayer } from './socket-auth.middleware';
import { PlayerServer } from './socket-events';

/** Socket.IO on the HTTP port, default namespace (PROTOCOL.md). */
@WebSocketGateway()
export class PlayerGateway implements OnGatewayInit<PlayerServer> {
  constructor(private readonly tokens: PlayerTokens) {}

  afterInit(server: PlayerServer): void {
    server.use(authenticatePlayer(this.tokens));
  }
}
