import { existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { eventSchemas, SCHEMAS_DIR } from './event-schemas';

/** The published schemas (docs/schemas) against the code's types: they part when a type changes and nobody regenerated. */
describe('docs/schemas', () => {
  it('holds the schemas the code generates now (run `npm run schemas:events` after changing them)', () => {
    for (const { file, schema } of eventSchemas()) {
      const path = join(SCHEMAS_DIR, file);
      const committed: unknown = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
      if (!isDeepStrictEqual(committed, JSON.parse(JSON.stringify(schema)))) {
        throw new Error(
          `docs/schemas/${file} ${committed === undefined ? 'is missing' : "differs from what the code's types give"}: run \`npm run schemas:events\` and commit it. ` +
            'A changed shape of records or events also needs a new version and an upcaster (docs/events.md).',
        );
      }
    }
  }, 30_000);
});
