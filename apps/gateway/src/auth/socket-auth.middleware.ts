import { PlayerTokens } from './player-tokens.service';
import { PlayerSocket, playerRoom } from '../shared/sockets/socket-events';

/** The only reason a handshake is refused; the client sees it as the `connect_error` message (PROTOCOL.md). */
export const UNAUTHORIZED = 'unauthorized';

/**
 * Socket.IO middleware: a socket connects only with a valid player token in `auth.token`.
 * It runs before the connection is accepted, so a refusal reaches the client as `connect_error`,
 * and the socket is already in its player's room when the client hears `connect`: nothing pushed
 * to the player right after connecting is missed.
 */
export function authenticatePlayer(tokens: PlayerTokens) {
  return (socket: PlayerSocket, next: (error?: Error) => void): void => {
    const player = tokens.verify((socket.handshake.auth as { token?: unknown } | undefined)?.token);
    if (!player) return next(new Error(UNAUTHORIZED));
    socket.data.playerId = player.playerId;
    socket.data.name = player.name;
    void socket.join(playerRoom(player.playerId));
    next();
  };
}
