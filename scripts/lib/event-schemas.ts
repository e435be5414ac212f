import { join, resolve } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';
import { eventsVersionOf, RECORD_VERSION } from '@app/engine';
import { inventoryDomain } from '@app/inventory';
import { zoneDomain } from '@app/zone';

/** Where the published schemas live; docs/asyncapi.yaml refers to them by these names. */
export const SCHEMAS_DIR = resolve(__dirname, '..', '..', 'docs', 'schemas');

/** One published schema: the file it goes to (named with its version, so older ones stay published) and the schema. */
export interface EventSchema {
  file: string;
  schema: Record<string, unknown>;
}

const root = resolve(__dirname, '..', '..');
/** The types published, each from the file that declares it: the records' envelope and each service's events. */
const SOURCES = [
  { type: 'WrittenLogRecord', name: 'log-record', version: RECORD_VERSION, title: 'A record of <prefix><service>.events' },
  {
    type: 'InventoryEvent',
    name: 'inventory-events',
    version: eventsVersionOf(inventoryDomain()),
    title: "An inventory event, in an outcome record's `events`",
  },
  { type: 'ZoneEvent', name: 'zone-events', version: eventsVersionOf(zoneDomain()), title: "A zone event, in an outcome record's `events`" },
];

/**
 * The JSON Schemas (draft-07) of what `<service>.events` holds, generated from the code's types: the record envelope
 * in its current format, and each service's events in their current version. One TypeScript program for all, so it
 * takes a few seconds.
 */
export function eventSchemas(): EventSchema[] {
  const generator = createGenerator({
    path: join(root, '{libs/engine/src/partition/records,libs/inventory/src/inventory,libs/zone/src/zone}.ts'),
    tsconfig: join(root, 'tsconfig.json'),
    skipTypeCheck: true,
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    additionalProperties: false,
  });
  return SOURCES.map(({ type, name, version, title }) => {
    const { $schema, ...schema } = generator.createSchema(type);
    const file = `${name}.v${version}.json`;
    return { file, schema: { $schema, $id: file, title: `${title}, version ${version}`, ...schema } };
  });
}
