import { z } from 'zod';
import { describeIssues } from './schema-issues';
import { parseInventoryCommand } from './inventory-command-payload';
import { parsePayload, zonePayloads } from './zone-payloads';

describe('describeIssues', () => {
  const schema = z.object({ name: z.string(), items: z.array(z.number()) }).strict();
  const issuesOf = (value: unknown) => schema.safeParse(value).error!.issues;

  it('names each bad field by its path, one `field: problem` per issue', () =>
    expect(describeIssues(issuesOf({ name: 1, items: [1, 'x'] }), 'payload')).toBe(
      'name: Invalid input: expected string, received number; items.1: Invalid input: expected number, received string',
    ));

  it('names the whole payload by the word it is given when the issue has no path', () =>
    expect(describeIssues(issuesOf('text'), 'body')).toBe('body: Invalid input: expected object, received string'));
});

describe('the socket payload readers', () => {
  it('refuse a zone payload invalid_payload with every bad field named', () =>
    expect(parsePayload(zonePayloads.attack, { targetId: '', commandId: 5 })).toEqual({
      ok: false,
      error: {
        code: 'invalid_payload',
        message: 'targetId: Too small: expected string to have >=1 characters; commandId: Invalid input: expected string, received number',
      },
    }));

  it('call a bad inventory command by the word `command` when its type is missing', () =>
    expect(parseInventoryCommand({ commandId: 'c-1' })).toEqual({ error: expect.stringMatching(/^type: /) }));
});
