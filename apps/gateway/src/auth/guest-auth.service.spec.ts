import { HttpException, Logger } from '@nestjs/common';
import { InventoryConnection } from '../inventory/inventory.module';
import { GuestAuthService } from './guest-auth.service';
import { PlayerTokens } from './player-tokens.service';
import { PlayersService } from './players.service';

describe('GuestAuthService', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new Logger()));

  const login = (register: PlayersService['register'], registerInventory: () => Promise<void>) =>
    new GuestAuthService(
      { register } as PlayersService,
      { issue: () => 'a-token' } as unknown as PlayerTokens,
      { client: () => ({ register: registerInventory }) } as unknown as InventoryConnection,
    ).login('alice');
  const answer = (promise: Promise<unknown>) =>
    promise.then(
      () => 'logged in',
      (error: unknown) => (error instanceof HttpException ? { status: error.getStatus(), body: error.getResponse() } : error),
    );
  const known = async () => ({ playerId: 'p_alice', name: 'alice' });

  it('logs a registered player in', async () => {
    expect(await login(known, async () => undefined)).toEqual({ playerId: 'p_alice', token: 'a-token' });
  });

  it('answers 503 unavailable, to be retried, when the players table cannot be reached', async () => {
    const unreachable = () => Promise.reject(new Error('Connection terminated unexpectedly'));
    expect(await answer(login(unreachable, async () => undefined))).toEqual({
      status: 503,
      body: { error: { code: 'unavailable', message: 'the player store is unreachable; retry' } },
    });
  });

  it('answers 503 unavailable when the inventory service cannot take the registration', async () => {
    expect(await answer(login(known, () => Promise.reject(new Error('no broker'))))).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
  });
});
