import { Outcome, ReceivedEnvelope } from '../partition/records';

/** What a command sent straight to a partition's owner came to, as the owner answers the sender. */
export type DirectAnswer =
  | { kind: 'outcome'; outcome: Outcome }
  /**
   * Not decided here, or its outcome is not known here (the partition is not owned or not serving here, or the batch
   * that held it did not commit): send it again, with the same commandId, to whoever owns the partition now.
   */
  | { kind: 'resend'; reason: string }
  /** The partition already holds as many waiting commands as it takes: the client should retry later, not at once. */
  | { kind: 'busy'; reason: string };

/**
 * A command sent straight to this owner, waiting in its partition's inbox. It is answered exactly once: with its
 * outcome once the batch holding it counts, or `resend` when it is dropped before that (the sender has no other way
 * to learn of it, unlike a command in the commands topic, which the next owner reads again).
 */
export class DirectCommand {
  readonly envelope: ReceivedEnvelope;
  readonly answered: Promise<DirectAnswer>;
  /** When it arrived (performance.now()), for the time it waits for its batch. */
  readonly receivedAt = performance.now();
  private settle!: (answer: DirectAnswer) => void;
  private settled = false;

  constructor(envelope: ReceivedEnvelope) {
    this.answered = new Promise((resolve) => (this.settle = resolve));
    this.envelope = { ...envelope, answer: (outcome) => this.answer({ kind: 'outcome', outcome }) };
  }

  /** The first answer wins; later ones (a catch-all after the batch) change nothing. */
  answer(answer: DirectAnswer): void {
    if (this.settled) return;
    this.settled = true;
    this.settle(answer);
  }
}
