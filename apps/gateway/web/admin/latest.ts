/**
 * Which of several overlapping tasks is the latest: each `begin()` makes the ones before it stale, and the check it
 * returns says whether its task is still the latest, so an answer that comes late is dropped instead of shown.
 */
export class Latest {
  private generation = 0;

  begin(): () => boolean {
    const mine = ++this.generation;
    return () => mine === this.generation;
  }

  /** A check for work that belongs to the current task without starting a new one (e.g. its next page). */
  current(): () => boolean {
    const mine = this.generation;
    return () => mine === this.generation;
  }
}
