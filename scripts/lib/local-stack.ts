import { parseArgs } from 'node:util';
import { InstanceSpec } from './instances';

/** How many instances of each app `npm start` runs. */
export interface StackSize {
  gateways: number;
  inventory: number;
  zones: number;
}

export const DEFAULT_STACK: StackSize = { gateways: 1, inventory: 2, zones: 2 };
/** Per app: inventory and zone instances sit at PORT+11.. and PORT+21.., below analytics at PORT+30 and the next gateway at PORT+100. */
export const MOST_PER_APP = 9;

export const STACK_USAGE = `usage: npm start -- [--gateways N] [--inventory N] [--zones N] [--no-build]   (each 1 to ${MOST_PER_APP}; defaults ${DEFAULT_STACK.gateways}, ${DEFAULT_STACK.inventory}, ${DEFAULT_STACK.zones}; --no-build runs dist/ as it is)`;

/**
 * `--gateways N --inventory N --zones N` (or `--gateways=N`) and `--no-build` (run what dist/ holds, e.g. right after
 * `npm run build`); anything else is an error that says what is wrong.
 */
export function parseStackArgs(args: string[]): StackSize & { build: boolean } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: { gateways: { type: 'string' }, inventory: { type: 'string' }, zones: { type: 'string' }, 'no-build': { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${STACK_USAGE}`);
  }
  const count = (name: keyof StackSize): number => {
    const raw = values[name] as string | undefined;
    if (raw === undefined) return DEFAULT_STACK[name];
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MOST_PER_APP) {
      throw new Error(`--${name}: expected a whole number from 1 to ${MOST_PER_APP} (got ${JSON.stringify(raw)})\n${STACK_USAGE}`);
    }
    return Number(raw);
  };
  return { gateways: count('gateways'), inventory: count('inventory'), zones: count('zones'), build: values['no-build'] !== true };
}

/** A gateway's address on this machine, as clients and the other gateways reach it. */
export const localUrl = (port: number): string => `http://127.0.0.1:${port}`;

/** Where `npm start` puts its one analytics instance: PORT + 30 (3030 by default). */
export const ANALYTICS_PORT_OFFSET = 30;

/**
 * The instances of `npm start`: gateway i (from 0) on PORT + 100 × i, inventory j (from 1) on PORT+10+j, zone j on
 * PORT+20+j, one analytics instance on PORT+30. A lone gateway keeps the name `gateway`; several are `gateway-1`,
 * `gateway-2`, ... like the other apps' instances. Each gateway names the others in GATEWAY_PEER_URLS: a stopping one
 * sends its clients there.
 */
export function localStack(size: StackSize, port: number): InstanceSpec[] {
  const highest = port + 100 * (size.gateways - 1);
  if (highest > 65535 || port + ANALYTICS_PORT_OFFSET > 65535) {
    throw new Error(`PORT ${port} leaves no room for ${size.gateways} gateways (the last would listen on ${highest})`);
  }
  const gatewayPorts = Array.from({ length: size.gateways }, (_, index) => port + 100 * index);
  const gateways = gatewayPorts.map((gatewayPort, index): InstanceSpec => ({
    name: size.gateways === 1 ? 'gateway' : `gateway-${index + 1}`,
    app: 'gateway',
    port: gatewayPort,
    ...(size.gateways > 1 && {
      env: {
        GATEWAY_PEER_URLS: gatewayPorts
          .filter((other) => other !== gatewayPort)
          .map(localUrl)
          .join(','),
      },
    }),
  }));
  const hosts = (app: 'inventory' | 'zone', count: number, offset: number) =>
    Array.from({ length: count }, (_, index): InstanceSpec => ({ name: `${app}-${index + 1}`, app, port: port + offset + index + 1 }));
  const analytics: InstanceSpec = { name: 'analytics', app: 'analytics', port: port + ANALYTICS_PORT_OFFSET };
  return [...gateways, ...hosts('inventory', size.inventory, 10), ...hosts('zone', size.zones, 20), analytics];
}
