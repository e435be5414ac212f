import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { eventSchemas, SCHEMAS_DIR } from './lib/event-schemas';
import { runMain } from './lib/run-main';

/**
 * `npm run schemas:events`: writes docs/schemas/*.json from the code's types (see lib/event-schemas.ts). A schema of an
 * earlier version keeps its file, so readers of older records still find theirs; lib/event-schemas.spec.ts fails
 * until this is run after a type changed.
 */
runMain(async () => {
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  for (const { file, schema } of eventSchemas()) {
    const path = join(SCHEMAS_DIR, file);
    // Formatted as the repository's prettier check wants it, so the files stay exactly as generated.
    writeFileSync(path, await format(JSON.stringify(schema), { ...(await resolveConfig(path)), parser: 'json' }));
    console.log(`wrote ${relative(process.cwd(), path)}`);
  }
});
