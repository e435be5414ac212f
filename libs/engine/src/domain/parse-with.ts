import { Parsed } from './aggregate-domain';

/** What `parseWith` needs of a schema: zod's `safeParse` has this shape; the engine does not depend on zod. */
export interface SafeParser<C> {
  safeParse(value: unknown): { success: true; data: C } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** A domain's `parseCommand` from a schema: the typed command, or one line naming every bad field. */
export function parseWith<C>(schema: SafeParser<C>): (payload: unknown) => Parsed<C> {
  return (payload) => {
    const parsed = schema.safeParse(payload);
    if (parsed.success) return { ok: true, command: parsed.data };
    return { ok: false, message: parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'command'}: ${issue.message}`).join('; ') };
  };
}
