import { createHash, randomBytes } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { Client } from 'pg';
import { io } from 'socket.io-client';
import { migrate } from '@app/postgres';
import { GatewayProcess, startGateway } from '../support/gateway-process';
import { randomSuffix } from '../support/random-names';
import { testDatabaseUrl } from '../support/test-env';

describe('gateway: guest login and socket authentication', () => {
  let gateway: GatewayProcess;
  let database: Client;
  const createdIds = new Set<string>();

  beforeAll(async () => {
    await migrate(testDatabaseUrl());
    database = new Client({ connectionString: testDatabaseUrl() });
    await database.connect();
    // Well above what this file sends from one address; the limit itself is tested on gateways of its own below.
    gateway = await startGateway({ LOGIN_RATE_PER_MINUTE: '1000' });
  });

  afterAll(async () => {
    await gateway?.stop();
    await database?.query('DELETE FROM players WHERE id = ANY($1)', [[...createdIds]]);
    await database?.end();
  });

  /** A name no other test or run uses: short enough for the 32-character limit. */
  const freshName = (prefix = 'p') => `${prefix}_${randomSuffix()}`;

  async function login(body: string, contentType = 'application/json') {
    const response = await fetch(`${gateway.url}/auth/guest`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const json = (await response.json()) as Record<string, unknown>;
    if (typeof json.playerId === 'string') createdIds.add(json.playerId);
    return { status: response.status, body: json };
  }

  const loginAs = async (name: string) => {
    const { status, body } = await login(JSON.stringify({ name }));
    expect(status).toBe(201);
    return body as { playerId: string; token: string };
  };

  /** Connects once, no reconnection: 'connected' or the connect_error message. */
  function connect(auth?: Record<string, unknown>): Promise<string> {
    const socket = io(gateway.url, { auth, reconnection: false, forceNew: true, timeout: 10_000 });
    return new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (error) => resolve(`connect_error: ${error.message}`));
    }).finally(() => socket.disconnect());
  }

  describe('POST /auth/guest', () => {
    it('answers 201 with a playerId and a token signed for that player', async () => {
      const name = freshName();
      const { status, body } = await login(JSON.stringify({ name }));
      expect(status).toBe(201);
      expect(body).toEqual({ playerId: expect.stringMatching(/^p_[0-9a-f]{24}$/), token: expect.any(String) });
      const claims = new JwtService({ secret: gateway.jwtSecret }).verify(body.token as string, { algorithms: ['HS256'] });
      expect(claims).toMatchObject({ sub: body.playerId, name });
      expect(claims.exp - claims.iat).toBe(24 * 60 * 60);
    });

    it('maps the same name to the same player and different names to different players', async () => {
      const name = freshName();
      const first = await loginAs(name);
      const again = await loginAs(name);
      const other = await loginAs(freshName());
      expect(again.playerId).toBe(first.playerId);
      expect(other.playerId).not.toBe(first.playerId);
    });

    it('treats names case-insensitively and keeps the first spelling', async () => {
      const name = `Mixed_${randomSuffix()}`;
      const first = await loginAs(name);
      const lower = await loginAs(name.toLowerCase());
      const upper = await loginAs(name.toUpperCase());
      expect(lower.playerId).toBe(first.playerId);
      expect(upper.playerId).toBe(first.playerId);
      const claims = new JwtService({ secret: gateway.jwtSecret }).verify(upper.token);
      expect(claims.name).toBe(name);
    });

    it('gives an id that does not reveal the name: not the plain hash of it', async () => {
      const name = freshName();
      const { playerId } = await loginAs(name);
      // The derivation before PLAYER_ID_SECRET: anyone who saw the id could test names against it.
      const unkeyed = `p_${createHash('sha256').update(`player:${name.toLowerCase()}`).digest('hex').slice(0, 24)}`;
      expect(playerId).toMatch(/^p_[0-9a-f]{24}$/);
      expect(playerId).not.toBe(unkeyed);
    });

    it('keeps the stored id of a player registered before (another derivation), in any case of the name', async () => {
      const name = `Old_${randomSuffix()}`;
      const storedId = `p_${randomBytes(12).toString('hex')}`;
      await database.query('INSERT INTO players (id, name) VALUES ($1, $2)', [storedId, name]);
      createdIds.add(storedId);
      const again = await loginAs(name.toLowerCase());
      expect(again.playerId).toBe(storedId);
      const claims = new JwtService({ secret: gateway.jwtSecret }).verify(again.token);
      expect(claims).toMatchObject({ sub: storedId, name });
      const { rows } = await database.query('SELECT id FROM players WHERE lower(name) = lower($1)', [name]);
      expect(rows).toEqual([{ id: storedId }]);
    });

    it('stores the player in the players table once, even for concurrent first logins', async () => {
      const name = freshName();
      const logins = await Promise.all(Array.from({ length: 8 }, () => loginAs(name)));
      expect(new Set(logins.map((login) => login.playerId)).size).toBe(1);
      const { rows } = await database.query('SELECT id, name FROM players WHERE id = $1', [logins[0].playerId]);
      expect(rows).toEqual([{ id: logins[0].playerId, name }]);
    });

    // Objects, not arrays: a row shorter than the test's parameter list would make jest pass `done`.
    it.each<{ case: string; body: string; contentType?: string }>([
      { case: 'no name', body: '{}' },
      { case: 'an empty name', body: '{"name":""}' },
      { case: 'a name of 33 characters', body: JSON.stringify({ name: 'a'.repeat(33) }) },
      { case: 'a name with a space', body: '{"name":"a b"}' },
      { case: 'a name with markup', body: '{"name":"<script>"}' },
      { case: 'a name with a dot', body: '{"name":"a.b"}' },
      { case: 'a name that is a number', body: '{"name":42}' },
      { case: 'a name that is null', body: '{"name":null}' },
      { case: 'an extra field', body: '{"name":"alice","admin":true}' },
      { case: 'a JSON array', body: '[{"name":"alice"}]' },
      { case: 'JSON null', body: 'null' },
      { case: 'malformed JSON', body: '{"name":' },
      { case: 'a body of another type', body: 'alice', contentType: 'text/plain' },
      { case: 'a form body', body: 'name=alice', contentType: 'application/x-www-form-urlencoded' },
      { case: 'no body at all', body: '' },
      // Valid JSON with a valid name, only too large: it is the size limit that refuses it.
      { case: 'a body over 4 kB', body: `{"name":"alice"${' '.repeat(5000)}}` },
    ])('refuses $case with 400 invalid_payload', async ({ body, contentType }) => {
      const response = await login(body, contentType);
      expect(response).toEqual({ status: 400, body: { error: { code: 'invalid_payload', message: expect.any(String) } } });
      expect((response.body.error as { message: string }).message).not.toBe('');
    });

    it('says what is wrong', async () => {
      expect((await login('alice', 'text/plain')).body.error).toMatchObject({ message: 'body: expected a JSON object' });
      expect((await login('{"name":"a b"}')).body).toEqual({
        error: { code: 'invalid_payload', message: 'name: expected 1-32 characters of A-Z, a-z, 0-9, _ and -' },
      });
      expect((await login('{"name":"alice","admin":true}')).body.error).toMatchObject({ message: expect.stringMatching(/admin/) });
      expect((await login(`{"name":"alice"${' '.repeat(5000)}}`)).body.error).toMatchObject({ message: 'request body larger than 4kb' });
    });
  });

  it('never logs an admin token that was set, while it warns about the development secrets still in use', async () => {
    const adminToken = `set-admin-token-${randomSuffix()}`;
    const partly = await startGateway({ ADMIN_TOKEN: adminToken });
    try {
      expect(partly.process.output).toContain('development secrets in use');
      expect(partly.process.output).not.toContain(adminToken);
    } finally {
      await partly.stop();
    }
  });

  describe('login rate per address', () => {
    const post = (url: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${url}/auth/guest`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const loginAt = async (url: string, headers?: Record<string, string>) => {
      const response = await post(url, JSON.stringify({ name: freshName('r') }), headers);
      const body = (await response.json()) as Record<string, unknown>;
      if (typeof body.playerId === 'string') createdIds.add(body.playerId);
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
    };
    const refusal = {
      status: 429,
      retryAfter: expect.stringMatching(/^[1-9]\d*$/),
      body: { error: { code: 'rate_limited', message: expect.stringContaining('3 logins a minute') } },
    };

    it('answers 429 rate_limited past LOGIN_RATE_PER_MINUTE, ignores X-Forwarded-For by default, and keeps serving', async () => {
      const limited = await startGateway({ LOGIN_RATE_PER_MINUTE: '3' });
      try {
        for (let login = 0; login < 3; login += 1) expect((await loginAt(limited.url)).status).toBe(201);
        expect(await loginAt(limited.url)).toEqual(refusal);
        // Anyone can write this header: without TRUST_PROXY it buys no fresh allowance.
        expect(await loginAt(limited.url, { 'x-forwarded-for': '203.0.113.9' })).toEqual(refusal);
        // Counted before the name is validated or looked up, so bad names cannot probe past the limit either.
        expect((await post(limited.url, '{"name":"a b"}')).status).toBe(429);
        expect(limited.process.child.exitCode).toBeNull();
        expect((await fetch(`${limited.url}/health/live`)).status).toBe(200);
        // The main gateway (another process) is not affected.
        expect((await loginAt(gateway.url)).status).toBe(201);
      } finally {
        await limited.stop();
      }
    });

    it('counts each client behind a trusted proxy (TRUST_PROXY) by its forwarded address', async () => {
      const proxied = await startGateway({ LOGIN_RATE_PER_MINUTE: '3', TRUST_PROXY: 'loopback' });
      try {
        const first = { 'x-forwarded-for': '203.0.113.1' };
        for (let login = 0; login < 3; login += 1) expect((await loginAt(proxied.url, first)).status).toBe(201);
        expect(await loginAt(proxied.url, first)).toEqual(refusal);
        expect((await loginAt(proxied.url, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(201);
        // One IPv6 host holds a /64: its other addresses share the allowance.
        const v6 = (suffix: string) => ({ 'x-forwarded-for': `2001:db8:7:7::${suffix}` });
        for (let login = 0; login < 3; login += 1) expect((await loginAt(proxied.url, v6(String(login + 1)))).status).toBe(201);
        expect(await loginAt(proxied.url, v6('ffff'))).toEqual(refusal);
      } finally {
        await proxied.stop();
      }
    });
  });

  describe('Socket.IO handshake', () => {
    it('accepts a socket with a player token', async () => {
      const { token } = await loginAs(freshName());
      expect(await connect({ token })).toBe('connected');
    });

    const now = () => Math.floor(Date.now() / 1000);
    const signed = (secret: string, claims: object, algorithm: 'HS256' | 'HS512' = 'HS256') => new JwtService({ secret }).sign(claims, { algorithm });
    it.each<{ case: string; auth: (secret: string) => Record<string, unknown> | undefined }>([
      { case: 'no auth at all', auth: () => undefined },
      { case: 'no token', auth: () => ({}) },
      { case: 'a token that is not a string', auth: () => ({ token: 42 }) },
      { case: 'a garbage token', auth: () => ({ token: 'not-a-jwt' }) },
      { case: 'a token signed with another secret', auth: () => ({ token: signed('another-secret-of-16+chars', { sub: 'p_x', name: 'x' }) }) },
      { case: 'an expired token', auth: (secret) => ({ token: signed(secret, { sub: 'p_x', name: 'x', exp: now() - 60 }) }) },
      { case: 'a token of ours signed with another algorithm', auth: (secret) => ({ token: signed(secret, { sub: 'p_x', name: 'x' }, 'HS512') }) },
      { case: 'an unsigned token (alg none)', auth: () => ({ token: unsignedToken({ sub: 'p_x', name: 'x', exp: now() + 60 }) }) },
      { case: 'a token of ours without a player', auth: (secret) => ({ token: signed(secret, { exp: now() + 60 }) }) },
    ])('refuses a socket with $case: connect_error unauthorized', async ({ auth }) => {
      expect(await connect(auth(gateway.jwtSecret))).toBe('connect_error: unauthorized');
    });
  });

  // Declared last, so jest runs it after every refusal above.
  describe('after all of that', () => {
    it('is still up and serving', async () => {
      expect(gateway.process.child.exitCode).toBeNull();
      expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
      const { token } = await loginAs(freshName());
      expect(await connect({ token })).toBe('connected');
    });

    it('stops cleanly on SIGTERM with a player connected', async () => {
      const { token } = await loginAs(freshName());
      const socket = io(gateway.url, { auth: { token }, reconnection: false, forceNew: true });
      try {
        await new Promise((connected) => socket.once('connect', () => connected(undefined)));
        const disconnected = new Promise((done) => socket.once('disconnect', done));
        expect(await gateway.stop()).toEqual({ code: 0, signal: null });
        await disconnected;
      } finally {
        socket.disconnect();
      }
    });
  });
});

function unsignedToken(claims: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}
