import { Heading, headingOf, sameHeading } from './keyboard';

/**
 * Which way the held keys steer, and when that must be sent: only changes of heading are sent (a held key repeats its
 * keydown many times a second, and the socket is rate limited), and only while a zone is joined (`move` before the join
 * is refused). Each method answers the heading to send now, or undefined when nothing is to be sent.
 */
export class Steering {
  private readonly held = new Set<string>();
  /** The heading last sent: the zone walks the player this way until told otherwise. */
  private sent: Heading = { x: 0, y: 0 };

  press(code: string, joined: boolean): Heading | undefined {
    this.held.add(code);
    return this.toSend(joined);
  }

  release(code: string, joined: boolean): Heading | undefined {
    this.held.delete(code);
    return this.toSend(joined);
  }

  /** Keys released while the tab was not looking would steer on forever: forget them all. */
  clear(joined: boolean): Heading | undefined {
    this.held.clear();
    return this.toSend(joined);
  }

  /**
   * A zone's snapshot arrived (a join or a rejoin): keys held before it steered nothing yet, so their heading is sent
   * now. A rejoin with the heading already sent sends nothing: the SDK sends its last heading again on join itself.
   */
  joined(): Heading | undefined {
    return this.toSend(true);
  }

  private toSend(joined: boolean): Heading | undefined {
    const heading = headingOf(this.held);
    if (!joined || sameHeading(heading, this.sent)) return undefined;
    this.sent = heading;
    return heading;
  }
}
