import { z } from 'zod';

/** A UTF-16 surrogate without its other half, or a NUL: text PostgreSQL refuses (jsonb and text parameters alike). */
const UNSTORABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\0/;

/** Ids clients send travel into the log, into events (a transfer's id is its commandId) and into read models and queries. */
export const storableIdSchema = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((id) => !UNSTORABLE.test(id), 'expected well-formed text (no lone UTF-16 surrogate, no NUL)');

/** A client's commandId. */
export const commandIdSchema = storableIdSchema(100);
