import { z } from 'zod';

const playerId = z.string().min(1).max(200);
const entityId = z.string().min(1).max(64);
const axis = z.union([z.literal(-1), z.literal(0), z.literal(1)]);
/** A direction, not a distance: the server decides how far a player goes in a tick, so no client can outrun it. */
const move = z.object({ x: axis, y: axis }).strict();
const seq = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

/** What a player's socket may send (PROTOCOL.md, Zone), before the gateway adds who sent it. */
export const zoneJoinSchema = z.object({ zoneId: entityId }).strict();
export const zoneInputSchema = z.object({ seq, move }).strict();
export const zoneAttackSchema = z.object({ targetId: entityId }).strict();
export const zoneLeaveSchema = z.object({}).strict();

/** Everything the zone service decides, addressed to one zone (the aggregate). */
export const zoneCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('join'), playerId }).strict(),
  z.object({ type: z.literal('leave'), playerId }).strict(),
  z.object({ type: z.literal('input'), playerId, seq, move }).strict(),
  z.object({ type: z.literal('attack'), playerId, targetId: entityId }).strict(),
  /** What a player in the zone sees now: a read, so its (large) answer never goes into the log. */
  z.object({ type: z.literal('look'), playerId }).strict(),
  /** Issued by the zone's owner on its clock; `tick` is the one to simulate next. */
  z.object({ type: z.literal('tick'), tick: z.number().int().min(1) }).strict(),
  /** A read through the owner: tick, hash and every entity. */
  z.object({ type: z.literal('get') }).strict(),
]);

export type ZoneCommand = z.infer<typeof zoneCommandSchema>;
