/** How the SDK retries a command: how often, how long, and with what waits between. */
export interface RetryOptions {
  /** Sends of one command before giving up. */
  attempts: number;
  /**
   * No retry is sent this long after the first sending (one waiting for a connection goes at most `ackTimeoutMs`
   * later). Kept well inside the services' retry horizon (`RETRY_HORIZON_MS`): past it a retry is refused `retry_expired`.
   */
  giveUpAfterMs: number;
  /** Backoff before the n-th retry: min(maxDelayMs, baseDelayMs * 2^n), with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The services remember outcomes for retries this long (ENGINE_RETRY_HORIZON_MS, PROTOCOL.md), in their log's time. */
export const RETRY_HORIZON_MS = 5 * 60_000;
export const DEFAULT_ACK_TIMEOUT_MS = 10_000;
/** Two minutes: with the last send's wait for a connection, still well inside the horizon. */
export const DEFAULT_RETRY: RetryOptions = { attempts: 8, giveUpAfterMs: 120_000, baseDelayMs: 100, maxDelayMs: 3_000 };
