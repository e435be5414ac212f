/** Lets the event loop turn once: in-memory ports settle later, as real I/O does, so callers cannot rely on them being synchronous. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
