import { z } from 'zod';

/**
 * Optional on a retried command (PROTOCOL.md extension): milliseconds since the client first sent this commandId, by
 * its own clock. At most a year: any retry older than the retry horizon is refused by the service anyway.
 */
export const firstSentMsAgo = z
  .number()
  .int()
  .min(0)
  .max(365 * 24 * 3_600_000);

export const FIRST_SENT_MS_AGO_PROBLEM = 'firstSentMsAgo: expected a whole number of milliseconds, 0 or more';
