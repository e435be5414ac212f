import { problemText } from './problems';

describe('problemText', () => {
  it('says what a known refusal means, and passes on the message of any other', () => {
    expect(problemText({ code: 'out_of_range', message: 'target is 300 away' })).toMatch(/walk closer/);
    expect(problemText({ code: 'not_found', message: 'no player is named bob' })).toBe('no player is named bob');
    expect(problemText(new Error('boom'))).toBe('boom');
    expect(problemText(undefined)).toBe('Something went wrong.');
  });
});
