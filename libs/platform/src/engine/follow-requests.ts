/**
 * A gateway's requests to follow an aggregate's views on its owner (over the owner link, beside `{ envelope }`):
 * `{ follow: aggregateId }` and `{ unfollow: aggregateId }`. Followers then get pushes `{ aggregateId, view }`.
 */
export type FollowRequest = { follow: string } | { unfollow: string };

/**
 * `ok: true`: followed (or unfollowed). `resend`: the aggregate's partition is not owned here (any more, or yet): ask
 * its owner as the group names it next. `error`: the request is wrong and would be refused again.
 */
export type FollowAnswer = { ok: true } | { ok: false; resend: true; reason: string } | { ok: false; error: string };

const MAX_ID_CHARS = 200;

/**
 * The follow request in `body`; `{ error }` when it is one but malformed; undefined when it is no follow request at
 * all (a command envelope).
 */
export function followRequestOf(body: unknown): FollowRequest | { error: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const fields = body as Record<string, unknown>;
  const verb = 'follow' in fields ? 'follow' : 'unfollow' in fields ? 'unfollow' : undefined;
  if (!verb) return undefined;
  const aggregateId = fields[verb];
  if (typeof aggregateId !== 'string' || aggregateId.length === 0 || aggregateId.length > MAX_ID_CHARS) {
    return { error: `${verb} takes an aggregateId: a string of 1-${MAX_ID_CHARS} characters` };
  }
  return verb === 'follow' ? { follow: aggregateId } : { unfollow: aggregateId };
}
