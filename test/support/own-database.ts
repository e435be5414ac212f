import { Client } from 'pg';
import { migrate } from '@app/postgres';
import { randomSuffix } from './random-names';
import { adminDatabaseUrl, withDatabase } from './test-env';

export interface OwnDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

/** A migrated database of the test's own (read models add up everything projected into them), gone after `drop`. */
export async function ownDatabase(label: string): Promise<OwnDatabase> {
  const name = `it_${label}_${randomSuffix()}`;
  const drop = () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await onServer(`CREATE DATABASE "${name}"`);
  const url = withDatabase(adminDatabaseUrl(), name);
  // The caller gets no `drop` when this throws: nothing may be left behind.
  await migrate(url).catch(async (error: unknown) => {
    await drop();
    throw error;
  });
  return { name, url, drop };
}
