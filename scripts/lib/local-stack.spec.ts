import { DEFAULT_STACK, localStack, parseStackArgs } from './local-stack';

describe('npm start arguments', () => {
  it('runs one gateway, two inventory and two zone instances without any', () => {
    expect(parseStackArgs([])).toEqual({ ...DEFAULT_STACK, build: true });
    expect(DEFAULT_STACK).toEqual({ gateways: 1, inventory: 2, zones: 2 });
  });

  it('reads --gateways, --inventory and --zones, spaced or with =', () => {
    expect(parseStackArgs(['--gateways', '3', '--inventory=1', '--zones', '4'])).toEqual({ gateways: 3, inventory: 1, zones: 4, build: true });
    expect(parseStackArgs(['--no-build'])).toEqual({ ...DEFAULT_STACK, build: false });
  });

  it.each([
    [['--gateways', '0'], /^--gateways: expected a whole number from 1 to 9 \(got "0"\)/],
    [['--zones', '10'], /^--zones: expected a whole number from 1 to 9 \(got "10"\)/],
    [['--inventory', 'two'], /^--inventory: expected a whole number from 1 to 9 \(got "two"\)/],
    [['--inventory', '1.5'], /^--inventory: expected a whole number/],
    [['--gateway', '2'], /Unknown option '--gateway'/],
    [['--gateways'], /--gateways/],
    [['2'], /positional/],
  ])('refuses %j, saying why and how to call it', (args, message) => {
    expect(() => parseStackArgs(args)).toThrow(message);
    expect(() => parseStackArgs(args)).toThrow(/usage: npm start -- \[--gateways N\]/);
  });
});

describe('the local stack', () => {
  it('puts the default stack where it always was', () => {
    expect(localStack(DEFAULT_STACK, 3000)).toEqual([
      { name: 'gateway', app: 'gateway', port: 3000 },
      { name: 'inventory-1', app: 'inventory', port: 3011 },
      { name: 'inventory-2', app: 'inventory', port: 3012 },
      { name: 'zone-1', app: 'zone', port: 3021 },
      { name: 'zone-2', app: 'zone', port: 3022 },
      { name: 'analytics', app: 'analytics', port: 3030 },
    ]);
  });

  it('puts gateway i on PORT + 100 × i, each naming the others as its peers', () => {
    const gateways = localStack({ gateways: 3, inventory: 1, zones: 1 }, 3000).filter((spec) => spec.app === 'gateway');
    expect(gateways).toEqual([
      { name: 'gateway-1', app: 'gateway', port: 3000, env: { GATEWAY_PEER_URLS: 'http://127.0.0.1:3100,http://127.0.0.1:3200' } },
      { name: 'gateway-2', app: 'gateway', port: 3100, env: { GATEWAY_PEER_URLS: 'http://127.0.0.1:3000,http://127.0.0.1:3200' } },
      { name: 'gateway-3', app: 'gateway', port: 3200, env: { GATEWAY_PEER_URLS: 'http://127.0.0.1:3000,http://127.0.0.1:3100' } },
    ]);
  });

  it('gives every instance its own port at the largest stack', () => {
    const ports = localStack({ gateways: 9, inventory: 9, zones: 9 }, 3000).map((spec) => spec.port);
    expect(new Set(ports).size).toBe(28);
  });

  it('refuses a PORT that leaves no room for the gateways', () => {
    expect(() => localStack({ gateways: 2, inventory: 1, zones: 1 }, 65500)).toThrow(
      'PORT 65500 leaves no room for 2 gateways (the last would listen on 65600)',
    );
  });
});
