import { countsUnderClaim, latestClaimAfter, NO_CLAIM } from './claim-rule';
import { LogRecord } from './records';

const claim: LogRecord = { type: 'claim', owner: 'a' };
const outcomeUnder = (claimOffset: number): LogRecord => ({
  type: 'outcome',
  claim: claimOffset,
  commandId: 'c',
  aggregateId: 'p',
  events: [],
  outcome: { ok: true, reply: null },
});

describe('the claim rule', () => {
  it('counts every claim, also before any other', () => {
    expect(countsUnderClaim(claim, NO_CLAIM)).toBe(true);
    expect(countsUnderClaim(claim, 7)).toBe(true);
  });

  it('counts a record written under the latest claim read before it', () => expect(countsUnderClaim(outcomeUnder(7), 7)).toBe(true));

  it('does not count a record written under a superseded claim', () => expect(countsUnderClaim(outcomeUnder(3), 7)).toBe(false));

  it('does not count a record read before any claim', () => expect(countsUnderClaim(outcomeUnder(NO_CLAIM), NO_CLAIM)).toBe(false));

  it('moves the latest claim to a claim read, and only to one', () => {
    expect(latestClaimAfter(claim, 12, 7)).toBe(12);
    expect(latestClaimAfter(outcomeUnder(7), 13, 7)).toBe(7);
  });
});
