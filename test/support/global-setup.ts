import { Client } from 'pg';
// Relative, not an alias: jest's global setup loads this without the moduleNameMapper.
import { redactUrl } from '../../libs/config/src/load-config';
import { randomSuffix } from './random-names';
import { adminDatabaseUrl, TEST_DATABASE_URL_VAR, withDatabase } from './test-env';

/** Creates this run's own database; the teardown drops it again. */
export default async function globalSetup(): Promise<void> {
  const serverUrl = adminDatabaseUrl();
  const database = `it_${randomSuffix()}`;
  const client = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Cannot reach PostgreSQL at DATABASE_URL (${redactUrl(serverUrl)}): ${(error as Error).message}. ` +
        'Start PostgreSQL or set DATABASE_URL to a server where this user may create databases.',
    );
  }
  try {
    await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  process.env[TEST_DATABASE_URL_VAR] = withDatabase(serverUrl, database);
  process.env.TEST_RUN_DATABASE_NAME = database;
}
