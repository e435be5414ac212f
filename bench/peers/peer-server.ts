/**
 * The transport both peer baselines share (plain node:http + socket.io, no NestJS), so that the peers differ from
 * each other only in where state lives. It serves the subset of PROTOCOL.md the peers scenario drives:
 * `POST /auth/guest`, `POST /admin/players/:playerId/grants`, a Socket.IO connection with `auth: { token }` and
 * `inventory:command` of type `transfer-gold`, plus `inventory:changed` to every player whose gold changed, as the
 * gateway pushes it. Listens on a free port of 127.0.0.1, tells it to the parent over IPC, stops on SIGTERM.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

export interface Inventory {
  playerId: string;
  gold: number;
  items: Record<string, number>;
  equipment: Record<string, string>;
  version: number;
}
export type ErrorCode = 'unauthorized' | 'invalid_payload' | 'insufficient_gold' | 'not_found' | 'unavailable';
export type Refusal = { ok: false; error: { code: ErrorCode; message: string } };
export type Reply = { ok: true; inventory: Inventory } | Refusal;
/** A reply, and the inventories it changed (pushed as `inventory:changed`); a repeated command changed nothing. */
export type Outcome = { reply: Reply; changed: Inventory[] };

export interface Grant {
  grantId: string;
  gold: number;
  items: Record<string, number>;
}
export interface Transfer {
  commandId: string;
  toPlayerId: string;
  amount: number;
}

/** Where a peer keeps its players: every method is atomic and idempotent by its id. */
export interface PeerStore {
  register(playerId: string): Promise<void>;
  grant(playerId: string, grant: Grant): Promise<Outcome>;
  transfer(playerId: string, transfer: Transfer): Promise<Outcome>;
  close(): Promise<void>;
}

const MAX_GOLD = 1_000_000_000_000;
const MAX_BODY_BYTES = 4 * 1024;

export const refusal = (code: ErrorCode, message: string): Refusal => ({ ok: false, error: { code, message } });
const isId = (value: unknown, max: number): value is string => typeof value === 'string' && value.length >= 1 && value.length <= max;
const isAmount = (value: unknown, min: number): value is number => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= MAX_GOLD;

function readTransfer(payload: unknown): Transfer | string {
  const { commandId, type, toPlayerId, amount } = (payload ?? {}) as Record<string, unknown>;
  if (!isId(commandId, 100)) return 'commandId: expected a string of 1-100 characters';
  if (type !== 'transfer-gold') return 'type: this peer serves transfer-gold only';
  if (!isId(toPlayerId, 200)) return 'toPlayerId: expected a string of 1-200 characters';
  if (!isAmount(amount, 1)) return `amount: expected an integer from 1 to ${MAX_GOLD}`;
  return { commandId, toPlayerId, amount };
}

function readGrant(body: unknown): Grant | string {
  const { grantId, gold = 0, items = {} } = (body ?? {}) as Record<string, unknown>;
  if (!isId(grantId, 100)) return 'grantId: expected a string of 1-100 characters';
  if (!isAmount(gold, 0)) return 'gold: expected a non-negative integer';
  if (typeof items !== 'object' || items === null || !Object.values(items).every((quantity) => isAmount(quantity, 0))) {
    return 'items: expected { itemId: quantity }';
  }
  return { grantId, gold, items: items as Record<string, number> };
}

/** Runs `store` behind HTTP and Socket.IO until SIGTERM. */
export function servePeer(store: PeerStore): void {
  const secret = process.env.PEER_TOKEN_SECRET || randomBytes(16).toString('hex');
  const adminToken = process.env.ADMIN_TOKEN;
  if (!adminToken) throw new Error('ADMIN_TOKEN is required');
  const sign = (playerId: string) => createHmac('sha256', secret).update(playerId).digest('base64url');
  const playerOf = (token: unknown): string | undefined => {
    if (typeof token !== 'string') return undefined;
    const [playerId, signature = ''] = token.split('.');
    const expected = Buffer.from(sign(playerId));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected) ? playerId : undefined;
  };

  const http = createServer((request, response) => {
    route(request, response).catch((error: unknown) => send(response, 503, refusal('unavailable', (error as Error).message)));
  });
  const io = new Server(http, { maxHttpBufferSize: 64 * 1024 });
  const push = (changed: Inventory[]) => changed.forEach((inventory) => io.to(inventory.playerId).emit('inventory:changed', { inventory }));

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const grantPath = /^\/admin\/players\/([^/]{1,200})\/grants$/.exec(request.url ?? '');
    if (request.method !== 'POST' || (request.url !== '/auth/guest' && !grantPath)) return send(response, 404, refusal('not_found', 'no such route'));
    const body = await readBody(request);
    if (body === undefined) return send(response, 400, refusal('invalid_payload', 'expected a JSON body'));
    if (!grantPath) {
      const { name } = body as { name?: unknown };
      if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,32}$/.test(name)) return send(response, 400, refusal('invalid_payload', 'name: 1-32 of A-Za-z0-9_-'));
      const playerId = `p_${createHmac('sha256', secret).update(`player:${name.toLowerCase()}`).digest('hex').slice(0, 24)}`;
      await store.register(playerId);
      return send(response, 201, { playerId, token: `${playerId}.${sign(playerId)}` });
    }
    if (request.headers.authorization !== `Bearer ${adminToken}`) return send(response, 401, refusal('unauthorized', 'missing or wrong admin token'));
    const grant = readGrant(body);
    if (typeof grant === 'string') return send(response, 400, refusal('invalid_payload', grant));
    const { reply, changed } = await store.grant(decodeURIComponent(grantPath[1]), grant);
    push(changed);
    send(response, reply.ok ? 200 : 404, reply);
  }

  io.use((socket, next) => {
    const playerId = playerOf((socket.handshake.auth as { token?: unknown } | undefined)?.token);
    if (!playerId) return next(new Error('unauthorized'));
    socket.data.playerId = playerId;
    void socket.join(playerId);
    next();
  });
  io.on('connection', (socket) => {
    socket.on('inventory:command', (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const transfer = readTransfer(payload);
      if (typeof transfer === 'string') return ack(refusal('invalid_payload', transfer));
      if (transfer.toPlayerId === socket.data.playerId) return ack(refusal('invalid_payload', 'cannot transfer to yourself'));
      store.transfer(socket.data.playerId as string, transfer).then(
        ({ reply, changed }) => {
          ack(reply);
          push(changed);
        },
        (error: unknown) => ack(refusal('unavailable', (error as Error).message)),
      );
    });
  });

  http.listen(0, '127.0.0.1', () => process.send?.({ port: (http.address() as AddressInfo).port }));
  process.on('SIGTERM', () => {
    void io.close();
    store.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

/** The JSON object of the body; undefined when it is too large, not JSON or not an object. */
async function readBody(request: IncomingMessage): Promise<object | undefined> {
  let text = '';
  // Read to the end even past the limit, so that the socket is still there for the answer.
  for await (const chunk of request) if (text.length <= MAX_BODY_BYTES) text += chunk;
  try {
    const body = JSON.parse(text) as unknown;
    return text.length <= MAX_BODY_BYTES && typeof body === 'object' && body !== null && !Array.isArray(body) ? body : undefined;
  } catch {
    return undefined;
  }
}

function send(response: ServerResponse, status: number, body: object): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
