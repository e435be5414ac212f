import { newGrantId } from './grant-id';

describe('newGrantId', () => {
  it('is dash- and 16 hex digits of the random bytes', () => {
    expect(newGrantId((bytes) => bytes.fill(0xab))).toBe('dash-abababababababab');
  });

  it('differs from one call to the next', () => {
    expect(newGrantId()).not.toBe(newGrantId());
  });
});
