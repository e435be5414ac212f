/**
 * Every code a refusal may carry: PROTOCOL.md's error codes, then the README's extensions. A map keyed by
 * `RefusalCode` (HTTP statuses, the SDK's retry policy) fails to compile until a new code is given its entry.
 */
export type RefusalCode =
  // PROTOCOL.md
  | 'unauthorized'
  | 'invalid_payload'
  | 'unknown_item'
  | 'insufficient_quantity'
  | 'insufficient_gold'
  | 'inventory_full'
  | 'not_equippable'
  | 'not_found'
  | 'rate_limited'
  | 'unavailable'
  // README extensions: an attack out of reach, or time travel past the oldest snapshot
  | 'out_of_range'
  // too old to know whether it was applied
  | 'retry_expired'
  // the service failed deciding it; nothing changed
  | 'internal_error'
  // time travel did not reproduce a logged hash
  | 'diverged';

/** How the server says no, on sockets and in admin bodies: `{ ok: false, error: { code, message } }`. */
export type Refusal = { ok: false; error: { code: RefusalCode; message: string } };

/** An acknowledgement: `{ ok: true, ...answer }` or a refusal. */
export type Reply<Answer extends object = object> = ({ ok: true } & Answer) | Refusal;
