import { z } from 'zod';
import { wholeNumber } from './env-fields';

/** How long a stopping gateway gives its clients to move before it closes the sockets still open. */
export const DEFAULT_GATEWAY_DRAIN_TIMEOUT_MS = 10_000;
const MAX_PEER_URLS = 64;

/**
 * One gateway's address as clients reach it: http(s), host and port only. A path would name a Socket.IO namespace
 * to a client, so none is allowed. Kept as its origin (`http://host:port`, no trailing slash).
 */
function peerUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  return bare && (url.protocol === 'http:' || url.protocol === 'https:') ? url.origin : undefined;
}

const peerUrls = z.string().transform((raw, ctx): string[] => {
  const entries = raw.split(',').map((entry) => entry.trim());
  const urls = entries.map(peerUrl);
  const bad = entries.filter((_, index) => urls[index] === undefined);
  if (bad.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `expected comma-separated http(s)://host:port URLs without a path; not one: ${bad.map((entry) => JSON.stringify(entry)).join(', ')}`,
    });
    return z.NEVER;
  }
  const unique = [...new Set(urls as string[])];
  if (unique.length > MAX_PEER_URLS) {
    ctx.addIssue({ code: 'custom', message: `expected at most ${MAX_PEER_URLS} URLs` });
    return z.NEVER;
  }
  return unique;
});

/**
 * A gateway's planned stop (SIGTERM): it tells its clients where to go (GATEWAY_PEER_URLS; none: reconnect to the
 * same address, which behind a load balancer reaches another gateway) and how long they have to leave.
 */
export const gatewayDrainEnvFields = {
  GATEWAY_PEER_URLS: peerUrls.optional(),
  GATEWAY_DRAIN_TIMEOUT_MS: wholeNumber(0, 120_000).default(DEFAULT_GATEWAY_DRAIN_TIMEOUT_MS),
};

export interface GatewayDrainConfig {
  /** Where clients of a stopping gateway go (client-facing origins; may include this gateway's own). */
  peerUrls: string[];
  /** How long clients get to move before the sockets still open are closed (once what they asked is answered). */
  timeoutMs: number;
}

export const toGatewayDrainConfig = (env: { GATEWAY_PEER_URLS?: string[]; GATEWAY_DRAIN_TIMEOUT_MS: number }): GatewayDrainConfig => ({
  peerUrls: env.GATEWAY_PEER_URLS ?? [],
  timeoutMs: env.GATEWAY_DRAIN_TIMEOUT_MS,
});
