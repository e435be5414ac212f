import { existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { eventSchemas, SCHEMAS_DIR } from './event-schemas';

/** The published schemas (docs/schemas) against the code's types: they part when a type changes and nobody regenerated. */
describe('docs/schemas', () => {
  it('holds the schema of every current version, as the code generates it (a published one never changes)', () => {
    for (const { file, schema } of eventSchemas()) {
      const path = join(SCHEMAS_DIR, file);
      const committed: unknown = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
      if (committed === undefined) throw new Error(`docs/schemas/${file} is missing: run \`npm run schemas:events\` and commit it.`);
      if (!isDeepStrictEqual(committed, JSON.parse(JSON.stringify(schema)))) {
        throw new Error(
          `docs/schemas/${file} differs from what the code's types give. A published version never changes (records of it are in ` +
            'logs): give the changed shape a new version and an upcaster (docs/events.md), then run `npm run schemas:events`.',
        );
      }
    }
  }, 30_000);
});
