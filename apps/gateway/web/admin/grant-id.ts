/**
 * A fresh grantId: `dash-` and 16 random hex digits. crypto.getRandomValues works on plain http too, where
 * crypto.randomUUID does not (an operator may reach a gateway by an address that is no secure context).
 */
export function newGrantId(random: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes)): string {
  return `dash-${Array.from(random(new Uint8Array(8)), (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** What the grant form asks for. */
export interface GrantRequest {
  playerId: string;
  gold: number;
  items: Record<string, number>;
}

const keyOf = ({ playerId, gold, items }: GrantRequest): string =>
  JSON.stringify([playerId, gold, Object.entries(items).sort(([a], [b]) => a.localeCompare(b))]);

/**
 * The grantIds of the form's grants. A grant left unanswered (a 5xx, no answer) keeps its grantId, so sending the very
 * same grant again is the same grant, applied once. Anything else (another player, other amounts) is another grant and
 * gets a new one: with the old grantId the gateway would answer the first grant's outcome and ignore the change.
 */
export class GrantIds {
  /** grantId of each grant sent and not answered yet, by what it asked for. */
  private readonly unanswered = new Map<string, string>();
  private next: string;

  constructor(private readonly fresh: () => string = () => newGrantId()) {
    this.next = fresh();
  }

  /** The grantId `request` would be sent with (to show it before it is sent). */
  idFor(request: GrantRequest): string {
    return this.unanswered.get(keyOf(request)) ?? this.next;
  }

  /** `request` is being sent: its grantId is taken by it until it is answered. */
  send(request: GrantRequest): string {
    const key = keyOf(request);
    const kept = this.unanswered.get(key);
    if (kept) return kept;
    const grantId = this.next;
    this.unanswered.set(key, grantId);
    this.next = this.fresh();
    return grantId;
  }

  /**
   * `request` was answered, granted or refused (the grantId would be answered so forever): the same amounts sent again
   * are a new grant with a new grantId.
   */
  answered(request: GrantRequest): void {
    this.unanswered.delete(keyOf(request));
  }
}
