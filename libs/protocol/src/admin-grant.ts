import { z } from 'zod';
import { grantFields } from '@app/inventory';
import { storableIdSchema } from './command-id';

/** `POST /admin/players/:playerId/grants` body (PROTOCOL.md): the inventory's grant, with no gold or items by default. */
export const grantSchema = z
  .object({
    grantId: grantFields.grantId,
    gold: grantFields.gold.default(0),
    items: grantFields.items.default({}),
  })
  .strict();

export type Grant = z.infer<typeof grantSchema>;

export const playerIdSchema = storableIdSchema(200);
