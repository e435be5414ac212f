import { z } from 'zod';
import { MAX_GOLD, MAX_QUANTITY } from '@app/inventory';

/** `POST /admin/players/:playerId/grants` body (PROTOCOL.md). */
export const grantSchema = z
  .object({
    grantId: z.string().min(1).max(100),
    gold: z.number().int().min(0).max(MAX_GOLD).default(0),
    items: z
      .record(z.string().min(1).max(64), z.number().int().positive().max(MAX_QUANTITY))
      .refine((items) => Object.keys(items).length <= 64, 'at most 64 item ids')
      .default({}),
  })
  .strict();

export type Grant = z.infer<typeof grantSchema>;

export const playerIdSchema = z.string().min(1).max(200);
