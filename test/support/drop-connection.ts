import { Socket } from 'socket.io-client';
import { GameClient } from '@app/sdk';

/**
 * Cuts a client's transport under it, as a network failure would: its socket.io client sees the connection drop and
 * reconnects. The one place tests reach inside the SDK (its socket in use).
 */
export function dropConnection(client: GameClient): void {
  (client as unknown as { connection: { current: { socket: Socket } } }).connection.current.socket.io.engine.close();
}
