import { problemsOf } from './config-problems.testing';
import { DEFAULT_GATEWAY_DRAIN_TIMEOUT_MS } from './drain-config';
import { gatewayEnvSchema, toGatewayConfig } from './gateway-config';
import { parseEnv } from './load-config';

const drainOf = (env: Record<string, string>) => toGatewayConfig(parseEnv(gatewayEnvSchema, env)).drain;

describe("a gateway's drain settings", () => {
  it('names no peers by default (clients reconnect to the same address) and gives clients 10 s to move', () => {
    expect(drainOf({})).toEqual({ peerUrls: [], timeoutMs: DEFAULT_GATEWAY_DRAIN_TIMEOUT_MS });
    expect(DEFAULT_GATEWAY_DRAIN_TIMEOUT_MS).toBe(10_000);
  });

  it('reads GATEWAY_PEER_URLS as origins, trimmed, without a trailing slash, each once', () => {
    const env = { GATEWAY_PEER_URLS: ' http://127.0.0.1:3100/ ,https://game.example.com, http://127.0.0.1:3100' };
    expect(drainOf(env).peerUrls).toEqual(['http://127.0.0.1:3100', 'https://game.example.com']);
  });

  it.each([
    ['a bare host', '127.0.0.1:3100'],
    ['another scheme', 'ws://127.0.0.1:3100'],
    ['a path (a Socket.IO namespace to a client)', 'http://127.0.0.1:3100/game'],
    ['a query', 'http://127.0.0.1:3100?x=1'],
    ['credentials', 'http://user:pw@127.0.0.1:3100'],
    ['an empty entry', 'http://127.0.0.1:3100,,http://127.0.0.1:3200'],
  ])('refuses GATEWAY_PEER_URLS with %s, naming the entry', (_, raw) => {
    const [problem] = problemsOf(() => parseEnv(gatewayEnvSchema, { GATEWAY_PEER_URLS: raw }));
    expect(problem).toMatch(/^GATEWAY_PEER_URLS: expected comma-separated http\(s\):\/\/host:port URLs without a path; not one: /);
  });

  it('reads GATEWAY_DRAIN_TIMEOUT_MS from 0 (close at once, once answered) to 2 minutes', () => {
    expect(drainOf({ GATEWAY_DRAIN_TIMEOUT_MS: '0' }).timeoutMs).toBe(0);
    expect(drainOf({ GATEWAY_DRAIN_TIMEOUT_MS: '120000' }).timeoutMs).toBe(120_000);
    expect(problemsOf(() => parseEnv(gatewayEnvSchema, { GATEWAY_DRAIN_TIMEOUT_MS: '120001' }))).toEqual([
      'GATEWAY_DRAIN_TIMEOUT_MS: expected at most 120000 (got "120001")',
    ]);
    expect(problemsOf(() => parseEnv(gatewayEnvSchema, { GATEWAY_DRAIN_TIMEOUT_MS: 'soon' }))[0]).toMatch(/^GATEWAY_DRAIN_TIMEOUT_MS: expected a whole number/);
  });
});
