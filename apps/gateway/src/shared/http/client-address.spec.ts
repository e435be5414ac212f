import { addressKeyOf } from './client-address';

describe('addressKeyOf', () => {
  it('keys an IPv4 address by itself, also when written IPv4-mapped', () => {
    expect(addressKeyOf('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKeyOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('keys every IPv6 address of one /64 alike, however it is written', () => {
    const key = addressKeyOf('2001:db8:0:1::1');
    expect(key).toBe('2001:db8:0:1::/64');
    expect(addressKeyOf('2001:0db8:0000:0001:ffff:ffff:ffff:fffe')).toBe(key);
    expect(addressKeyOf('2001:db8:0:2::1')).not.toBe(key);
    expect(addressKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(addressKeyOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('puts requests without a readable address under one key', () => {
    expect(addressKeyOf(undefined)).toBe('unknown');
    expect(addressKeyOf('not an address')).toBe('unknown');
  });
});
