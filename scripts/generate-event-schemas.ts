import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { eventSchemas, SCHEMAS_DIR } from './lib/event-schemas';
import { runMain } from './lib/run-main';

/** Only for a version nobody has written records in yet: lets its schema change while it is being made. */
const REPLACE_FLAG = '--replace-unreleased';

/**
 * `npm run schemas:events`: writes docs/schemas/*.json from the code's types (see lib/event-schemas.ts). A published
 * version's schema describes records already in logs, so it is never rewritten: a changed shape needs a new version
 * (and an upcaster), which gets a file of its own; lib/event-schemas.spec.ts fails until this is run.
 */
runMain(async () => {
  const replace = process.argv.includes(REPLACE_FLAG);
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  // Every file is checked before any is written: a refusal leaves docs/schemas as it was.
  const changed = eventSchemas().filter(({ file, schema }) => {
    const path = join(SCHEMAS_DIR, file);
    const published: unknown = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
    if (isDeepStrictEqual(published, JSON.parse(JSON.stringify(schema)))) return false;
    if (published !== undefined && !replace) {
      throw new Error(
        `${relative(process.cwd(), path)} is published and the code's types no longer match it: records of that version are in logs ` +
          `already, so its schema stays. Give the changed shape a new version and an upcaster (docs/events.md), or, if no record of ` +
          `this version was ever written, run again with ${REPLACE_FLAG}.`,
      );
    }
    return true;
  });
  for (const { file, schema } of changed) {
    const path = join(SCHEMAS_DIR, file);
    // Formatted as the repository's prettier check wants it, so the files stay exactly as generated.
    writeFileSync(path, await format(JSON.stringify(schema), { ...(await resolveConfig(path)), parser: 'json' }));
    console.log(`wrote ${relative(process.cwd(), path)}`);
  }
});
