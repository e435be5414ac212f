import type { RefusalCode } from '@app/protocol';

/** A refusal from the server, with its PROTOCOL.md code (`insufficient_gold`, `not_found`, ...). */
export class GameError extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'GameError';
  }
}

/** For each code: whether the same command, sent again with the same commandId, may succeed. */
const RETRYABLE: Record<RefusalCode, boolean> = {
  unavailable: true,
  rate_limited: true,
  unauthorized: false,
  invalid_payload: false,
  unknown_item: false,
  insufficient_quantity: false,
  insufficient_gold: false,
  inventory_full: false,
  not_equippable: false,
  not_found: false,
  out_of_range: false,
  retry_expired: false,
  internal_error: false,
  diverged: false,
};

/** Codes after which the same command, sent again with the same commandId, may succeed. */
export const RETRYABLE_CODES: ReadonlySet<RefusalCode> = new Set((Object.keys(RETRYABLE) as RefusalCode[]).filter((code) => RETRYABLE[code]));
