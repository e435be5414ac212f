import { z } from 'zod';

/** A UTF-16 surrogate without its other half: text that has no UTF-8 form (PostgreSQL's jsonb, for one, refuses it). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A client's commandId: it travels into the log, into events (a transfer's id is its commandId) and into read models,
 * so it must be text every store can hold.
 */
export const commandIdSchema = z
  .string()
  .min(1)
  .max(100)
  .refine((id) => !LONE_SURROGATE.test(id), 'expected well-formed text (no lone UTF-16 surrogate)');
