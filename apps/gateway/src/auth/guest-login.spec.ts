import { createHash } from 'node:crypto';
import { playerIdOf } from './guest-login';

describe('playerIdOf', () => {
  const secret = 'a-secret-of-at-least-32-characters-0123';

  it('maps a name to the same id in any case, in the p_ + 24 hex shape', () => {
    expect(playerIdOf('Alice', secret)).toBe(playerIdOf('alice', secret));
    expect(playerIdOf('ALICE', secret)).toMatch(/^p_[0-9a-f]{24}$/);
    expect(playerIdOf('bob', secret)).not.toBe(playerIdOf('alice', secret));
  });

  it('depends on the secret, so a dictionary of names hashed without it finds nothing', () => {
    const unkeyed = `p_${createHash('sha256').update('player:alice').digest('hex').slice(0, 24)}`;
    expect(playerIdOf('alice', secret)).not.toBe(unkeyed);
    expect(playerIdOf('alice', `${secret}x`)).not.toBe(playerIdOf('alice', secret));
  });
});
