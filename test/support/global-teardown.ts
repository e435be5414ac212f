import { Client } from 'pg';
import { adminDatabaseUrl } from './test-env';

export default async function globalTeardown(): Promise<void> {
  const database = process.env.TEST_RUN_DATABASE_NAME;
  if (!database) return;
  const client = new Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
