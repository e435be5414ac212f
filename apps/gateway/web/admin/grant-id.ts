/**
 * A fresh grantId: `dash-` and 16 random hex digits. crypto.getRandomValues works on plain http too, where
 * crypto.randomUUID does not (an operator may reach a gateway by an address that is no secure context).
 */
export function newGrantId(random: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes)): string {
  return `dash-${Array.from(random(new Uint8Array(8)), (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
