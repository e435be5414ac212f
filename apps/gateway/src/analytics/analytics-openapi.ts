import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const integer: SchemaObject = { type: 'integer' };
const integers = (...names: string[]): SchemaObject => ({ type: 'object', properties: Object.fromEntries(names.map((name) => [name, integer])) });
const perItem = (schema: SchemaObject): SchemaObject => ({ type: 'object', additionalProperties: schema });

/** `GET /admin/economy` (docs/analytics.md). */
export const economySchema: SchemaObject = {
  type: 'object',
  properties: {
    gold: { ...integers('total', 'granted', 'looted', 'transferred'), description: 'total = granted + looted: a transfer never changes it' },
    items: { ...perItem(integers('total', 'granted', 'looted', 'consumed', 'transferred')), description: 'total = granted + looted - consumed' },
    perMinute: {
      type: 'array',
      description: 'the last 60 minutes with activity, oldest first, by the time of the commands (log time)',
      items: {
        type: 'object',
        properties: {
          minute: { type: 'string', format: 'date-time' },
          gold: integers('granted', 'looted', 'transferred'),
          items: perItem(integers('granted', 'looted', 'consumed', 'transferred')),
        },
      },
    },
    projection: {
      type: 'object',
      properties: {
        behind: { type: 'integer', nullable: true, description: 'records in the events topics not projected yet (null: Kafka did not answer)' },
        partitions: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              topic: { type: 'string' },
              partition: integer,
              nextOffset: integer,
              endOffset: { type: 'integer', nullable: true },
              error: {
                type: 'string',
                nullable: true,
                description: 'why the projection of this partition stopped (log replaced, records deleted, events of a newer version); null while it goes on',
              },
            },
          },
        },
      },
    },
  },
};

/** `GET /admin/players/:playerId/history`. */
export const historySchema: SchemaObject = {
  type: 'object',
  properties: {
    events: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          at: { type: 'string', format: 'date-time', description: "the command's issuedAt" },
          service: { type: 'string', enum: ['inventory', 'zone'] },
          type: { type: 'string' },
          event: { type: 'object', description: 'the domain event as logged' },
          source: { type: 'object', properties: { commandId: { type: 'string' }, partition: integer, offset: integer } },
        },
      },
    },
    next: { type: 'string', nullable: true, description: 'pass as `after` for the next page; null when this page is the last' },
  },
};

/** `GET /admin/zones/:zoneId/stats`. */
export const zoneStatsSchema: SchemaObject = {
  type: 'object',
  properties: {
    zoneId: { type: 'string' },
    kills: integer,
    loot: { type: 'object', properties: { gold: integer, items: perItem(integer) } },
  },
};
