import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate, PlayerEntity } from '@app/postgres';
import { randomName } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';

describe('PostgreSQL schema', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    dataSource = await new DataSource(dataSourceOptions(testDatabaseUrl())).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('records the applied migration and has nothing pending', async () => {
    const rows: { name: string }[] = await dataSource.query('SELECT name FROM schema_migrations');
    expect(rows.map((row) => row.name)).toContain('CreatePlayers1764057600000');
    expect(await dataSource.showMigrations()).toBe(false);
    expect(await migrate(testDatabaseUrl())).toEqual([]);
  });

  it('writes a player and reads it back', async () => {
    const players = dataSource.getRepository(PlayerEntity);
    const name = randomName('alice');
    await players.insert({ id: `p-${name}`, name });

    const found = await players.findOneByOrFail({ name });
    expect(found.id).toBe(`p-${name}`);
    expect(found.createdAt).toBeInstanceOf(Date);
  });

  it('refuses a second player with the same name', async () => {
    const players = dataSource.getRepository(PlayerEntity);
    const name = randomName('bob');
    await players.insert({ id: `p1-${name}`, name });
    await expect(players.insert({ id: `p2-${name}`, name })).rejects.toThrow(/players_name_unique/);
  });
});
