/** A refusal from the server, with its PROTOCOL.md code (`insufficient_gold`, `not_found`, ...). */
export class GameError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GameError';
  }
}

/** Codes after which the same command, sent again with the same commandId, may succeed. */
export const RETRYABLE_CODES = new Set(['unavailable', 'rate_limited']);
