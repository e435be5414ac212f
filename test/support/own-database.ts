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
  await onServer(`CREATE DATABASE "${name}"`);
  const url = withDatabase(adminDatabaseUrl(), name);
  await migrate(url);
  return { name, url, drop: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
