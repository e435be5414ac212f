/** How the gateway says no, on sockets and in admin bodies (PROTOCOL.md error codes). */
export type Refusal = { ok: false; error: { code: string; message: string } };
