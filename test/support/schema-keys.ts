import { z } from 'zod';

/** Keys a config schema knows; zod 4 keeps refinements on the object, a pipe wraps it. */
export function knownKeys(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodPipe) return knownKeys(schema.in as z.ZodType);
  throw new Error(`cannot list the keys of a ${schema.constructor.name}`);
}
