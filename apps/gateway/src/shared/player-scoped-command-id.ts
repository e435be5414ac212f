/**
 * The commandId the services see for a command a player sent. Dedupe is by commandId (kept per player), and a
 * client's commandId is only its own: scoped by the player, two players may both send "1" and each gets its own
 * outcome, and no player can name an id the services make themselves (`register:`, `grant:`, `get:`,
 * `receive:`, `refund:`; playerIds start with `p_`).
 */
export const playerScopedCommandId = (playerId: string, commandId: string): string => `${playerId}:${commandId}`;
