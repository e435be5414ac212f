/** A production secret needs at least this many characters: 32 is what `openssl rand -hex 16` or a 24-byte base64 gives. */
export const MIN_SECRET_LENGTH = 32;

/** And at least this many different characters: random hex of 32 has about 14, a repeated word far fewer. */
export const MIN_DISTINCT_CHARACTERS = 10;

/**
 * Secrets this repository ships or ever shipped as defaults (code, docker-compose.yml). They are public,
 * so a process that finds one of them, or one of them with something added, in production refuses to start.
 */
export const PUBLIC_SECRETS: readonly string[] = [
  'dev-admin-token',
  'dev-jwt-secret-not-for-production',
  'dev-player-id-secret-not-for-production',
  'compose-dev-admin-token',
  'compose-dev-jwt-secret-not-for-production',
];

/** Why `value` is not fit as a production secret, or undefined. Never quotes the value: messages end up in logs. */
export function weakSecretReason(value: string): string | undefined {
  const lower = value.toLowerCase();
  if (PUBLIC_SECRETS.some((known) => lower.includes(known))) return 'is a public development value; set a secret of your own';
  if (value.length < MIN_SECRET_LENGTH) return `expected at least ${MIN_SECRET_LENGTH} characters (e.g. openssl rand -hex 32)`;
  if (new Set(value).size < MIN_DISTINCT_CHARACTERS) {
    return `expected at least ${MIN_DISTINCT_CHARACTERS} different characters; use a random value (e.g. openssl rand -hex 32)`;
  }
  return undefined;
}
