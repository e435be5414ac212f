/**
 * Thrown by a domain's `evolve` when applying a logged event gives a different result than the one the event
 * recorded (a zone tick whose re-simulation does not reproduce the hash in the log). Replaying further would
 * serve a world that never was, so the engine stops the partition instead of recovering it again.
 */
export class DivergedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DivergedError';
  }
}
