import { hostname } from 'node:os';
import { z } from 'zod';
import { onOff, wholeNumber } from './env-fields';

const host = z.string().regex(/^[A-Za-z0-9.-]{1,253}$|^[0-9A-Fa-f:]{2,39}$/, 'expected a host name or an IP address');
// Shared by owners and gateways: every request on an owner link carries it (see libs/owner-link).
const linkSecret = z.string().min(16, 'expected at least 16 characters').max(200, 'expected at most 200 characters').optional();

/**
 * Commands sent straight to a partition's owner (issue 13): owners listen on DIRECT_HOST:DIRECT_PORT and advertise
 * DIRECT_ADVERTISED_HOST (what gateways connect to) in their consumer group; gateways send there, and take the commands
 * topic when no owner is known or reachable. `off` keeps every command on the commands topic.
 */
export const directOwnerEnvFields = {
  DIRECT_COMMANDS: onOff.default('on'),
  DIRECT_HOST: host.default('127.0.0.1'),
  // 0: any free port (the one bound is advertised).
  DIRECT_PORT: wholeNumber(0, 65535).default(0),
  DIRECT_ADVERTISED_HOST: host.optional(),
  DIRECT_SECRET: linkSecret,
};

/**
 * Whether an owner writes the views of changes to `<service>.changes` (`off`: only gateways following aggregates at
 * the owner hear them). Off is for deployments where every gateway runs DIRECT_COMMANDS=on: a gateway with it off
 * reads the changes topic and would hear nothing.
 */
export const publishChangesEnvFields = { PUBLISH_CHANGES: onOff.default('on') };

export const directGatewayEnvFields = { DIRECT_COMMANDS: onOff.default('on'), DIRECT_SECRET: linkSecret };

export interface DirectOwnerConfig {
  enabled: boolean;
  host: string;
  port: number;
  /** The host gateways reach this process at; the bound port is added once known. */
  advertisedHost: string;
  /** What every request on the link must carry; undefined: whoever reaches the port may send commands. */
  secret?: string;
}

export function toDirectOwnerConfig(env: {
  DIRECT_COMMANDS: 'on' | 'off';
  DIRECT_HOST: string;
  DIRECT_PORT: number;
  DIRECT_ADVERTISED_HOST?: string;
  DIRECT_SECRET?: string;
}): DirectOwnerConfig {
  // Listening on every interface says nothing of where this process is reached: its host name does (containers, pods).
  const wildcard = env.DIRECT_HOST === '0.0.0.0' || env.DIRECT_HOST === '::';
  return {
    enabled: env.DIRECT_COMMANDS === 'on',
    host: env.DIRECT_HOST,
    port: env.DIRECT_PORT,
    advertisedHost: env.DIRECT_ADVERTISED_HOST ?? (wildcard ? hostname() : env.DIRECT_HOST),
    secret: env.DIRECT_SECRET,
  };
}
