import { DataSource } from 'typeorm';
import { Snapshot } from '@app/engine';
import { snapshotStoreContract } from '@app/engine/testing';
import { dataSourceOptions, migrate, PostgresSnapshotStore } from '@app/postgres';
import { randomName } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';

async function openDataSource(): Promise<DataSource> {
  const url = testDatabaseUrl();
  await migrate(url);
  return new DataSource(dataSourceOptions(url)).initialize();
}

snapshotStoreContract('PostgresSnapshotStore', async () => {
  const dataSource = await openDataSource();
  return { store: new PostgresSnapshotStore(dataSource), close: () => dataSource.destroy() };
});

describe('PostgresSnapshotStore as a faithful port', () => {
  let dataSource: DataSource;
  let store: PostgresSnapshotStore;

  beforeAll(async () => {
    dataSource = await openDataSource();
    store = new PostgresSnapshotStore(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  const snapshot = (stream: string, lastOffset: number): Snapshot => ({
    stream,
    partition: 0,
    lastOffset,
    schemaVersion: 1,
    stateHash: `hash-${lastOffset}`,
    state: JSON.stringify({ lastOffset }),
  });

  it('returns a row corrupted in SQL as it is stored, leaving validation to the engine', async () => {
    const stream = randomName('faithful');
    await store.save(snapshot(stream, 10));
    await store.save(snapshot(stream, 20));

    const updated = await dataSource.query(
      `UPDATE "partition_snapshots" SET "state" = $3, "schema_version" = 999
        WHERE "stream" = $1 AND "partition" = 0 AND "last_offset" = $2`,
      [stream, 20, '{"lastOffset":20,"tampered":true'],
    );
    expect(updated[1]).toBe(1);

    expect(await store.latest(stream, 0, 10)).toStrictEqual([
      { ...snapshot(stream, 20), schemaVersion: 999, state: '{"lastOffset":20,"tampered":true' },
      snapshot(stream, 10),
    ]);
  });

  it('stores offsets as bigint and stamps each row', async () => {
    const stream = randomName('columns');
    await store.save(snapshot(stream, 2 ** 40));

    const rows: { last_offset: string; type: string; created_at: Date }[] = await dataSource.query(
      `SELECT "last_offset", pg_typeof("last_offset")::text AS "type", "created_at"
         FROM "partition_snapshots" WHERE "stream" = $1`,
      [stream],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].last_offset).toBe(String(2 ** 40));
    expect(rows[0].type).toBe('bigint');
    expect(rows[0].created_at).toBeInstanceOf(Date);
  });

  it('refuses to round a stored offset that no JavaScript number holds exactly', async () => {
    const stream = randomName('unsafe');
    await store.save(snapshot(stream, 1));
    await dataSource.query(`UPDATE "partition_snapshots" SET "last_offset" = $2 WHERE "stream" = $1`, [
      stream,
      '9007199254740993', // 2^53 + 1
    ]);

    await expect(store.latest(stream, 0, 1)).rejects.toThrow(/does not fit a JavaScript number exactly/);
  });

  it('records its migration', async () => {
    const rows: { name: string }[] = await dataSource.query('SELECT name FROM schema_migrations');
    expect(rows.map((row) => row.name)).toContain('CreatePartitionSnapshots1764144000000');
  });
});
