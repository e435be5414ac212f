import { z } from 'zod';
import { grantFields } from '@app/inventory';

/** `POST /admin/players/:playerId/grants` body (PROTOCOL.md): the inventory's grant, with no gold or items by default. */
export const grantSchema = z
  .object({
    grantId: grantFields.grantId,
    gold: grantFields.gold.default(0),
    items: grantFields.items.default({}),
  })
  .strict();

export type Grant = z.infer<typeof grantSchema>;

export const playerIdSchema = z.string().min(1).max(200);
