import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key a per-address limit counts under. An IPv4 address (also written IPv4-mapped, `::ffff:1.2.3.4`)
 * is its own key; an IPv6 address counts as its /64, because one host commonly holds a whole /64 and
 * could otherwise take a fresh allowance per address. Anything else (no address) shares one key.
 */
export function addressKeyOf(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return 'unknown';
  return `${expandIPv6(address.split('%')[0]).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, `::` filled in, leading zeros dropped (so one /64 has one spelling). */
function expandIPv6(address: string): string[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const groupsOf = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groupsOf(head);
  const right = groupsOf(tail);
  // An embedded IPv4 tail (a.b.c.d) is two groups; only the first four groups matter here.
  const width = (groups: string[]) => groups.reduce((sum, group) => sum + (group.includes('.') ? 2 : 1), 0);
  const middle = tail === undefined ? [] : Array.from({ length: 8 - width(left) - width(right) }, () => '0');
  return [...left, ...middle, ...right].map((group) => (group.includes('.') ? group : (parseInt(group, 16) || 0).toString(16)));
}
