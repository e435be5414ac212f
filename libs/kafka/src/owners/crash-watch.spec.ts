import { connect, createServer, Server, Socket } from 'node:net';
import { Admin, AssignerProtocol } from 'kafkajs';
import { CrashWatch, CrashWatchOptions } from './crash-watch';
import { GroupEvictor } from './group-evictor';

const member = (memberId: string, address: string) => ({
  memberId,
  memberMetadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics: ['t'], userData: Buffer.from(address) }),
  memberAssignment: Buffer.alloc(0),
});

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

type Peer = { address: string; server: Server; accepted: Socket[] };

/** A peer's owner link: a listening server whose accepted connections the test can close, as a dying process's kernel would. */
async function peer(port = 0): Promise<Peer> {
  const accepted: Socket[] = [];
  const server = createServer((socket) => accepted.push(socket));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${(server.address() as { port: number }).port}`, server, accepted };
}

/** What a process's death does to its link: the port stops listening and every connection closes. */
function kill({ server, accepted }: Peer): void {
  server.close();
  accepted.forEach((socket) => socket.destroy());
}

const dialed = (address: string) => {
  const [host, port] = address.split(':');
  return connect({ host, port: Number(port) });
};

type WatchOverrides = Partial<Pick<CrashWatchOptions, 'confirmTimeoutMs' | 'retryUnreachableEveryMs'>> & {
  /** Replaces the dial numbered `dial` (1 for the first); the real dial otherwise. */
  connectTo?: (address: string, dial: number) => Socket;
  evict?: GroupEvictor['evict'];
};

function watchOf(self: string, overrides: WatchOverrides = {}) {
  let members: ReturnType<typeof member>[] = [];
  const evicted: string[] = [];
  // As the coordinator answers: only a member still in the group can be taken out.
  const evict = (memberId: string) => {
    const known = members.some((listed) => listed.memberId === memberId);
    if (known) evicted.push(memberId);
    return Promise.resolve(known);
  };
  const counts = { reads: 0, connects: 0 };
  const describeGroups = () => {
    counts.reads++;
    return Promise.resolve({ groups: [{ state: 'Stable', members }] });
  };
  const admin = { describeGroups } as unknown as Admin;
  const evictor: GroupEvictor = {
    evict: overrides.evict ?? ((_groupId, memberId) => evict(memberId)),
    prepare: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  const lines: string[] = [];
  const connectTo = (address: string) => (overrides.connectTo ?? dialed)(address, ++counts.connects);
  const log = { log: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) };
  const { confirmTimeoutMs, retryUnreachableEveryMs } = overrides;
  const watch = new CrashWatch({ admin, groupId: 'g', self, evictor, refreshEveryMs: 20, confirmTimeoutMs, retryUnreachableEveryMs, connectTo, log });
  return { watch, evicted, lines, counts, describe: (next: ReturnType<typeof member>[]) => (members = next) };
}

/** A dial that never connects: what a host that drops packets answers. */
const unanswered = () => new Socket();

describe('CrashWatch', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((server) => server.close()));

  /** A watch (itself at 127.0.0.1:1) over a group of `others` and member `a` at a live peer, once it watches `a`. */
  async function watchingPeer(others: ReturnType<typeof member>[] = [], overrides: WatchOverrides = {}) {
    const a = await peer();
    servers.push(a.server);
    const watched = watchOf('127.0.0.1:1', overrides);
    watched.describe([...others, member('a', a.address)]);
    watched.watch.start();
    const [connection] = await until('a watched', () => (a.accepted.length > 0 ? a.accepted : undefined));
    return { ...watched, a, connection };
  }

  it('given a member whose process dies while the group still lists it, then it is evicted; itself it never watches', async () => {
    const { watch, evicted, a } = await watchingPeer([member('self', '127.0.0.1:1')]);
    expect(watch.watching).toBe(1);
    kill(a);
    await until('a evicted', () => (evicted.length > 0 ? evicted : undefined));
    expect(evicted).toEqual(['a']);
    await watch.stop();
  });

  it('given a connection dropped while the member still listens, then it is not evicted and the new connection is watched', async () => {
    const { watch, evicted, a, connection, lines } = await watchingPeer();
    connection.destroy();
    await until('a dialled again', () => (a.accepted.length === 2 ? true : undefined));
    await until('the new connection noted', () => (lines.some((line) => line.includes('still answers')) ? true : undefined));
    expect({ evicted, watching: watch.watching }).toEqual({ evicted: [], watching: 1 });
    // Watched through the new connection: the process dying now is noticed.
    kill(a);
    await until('a evicted', () => (evicted.length > 0 ? evicted : undefined));
    expect(evicted).toEqual(['a']);
    await watch.stop();
  });

  it('given a connection dropped and dials again that never connect, then it is evicted after the bounded attempts', async () => {
    const { watch, evicted, connection, counts } = await watchingPeer([], {
      confirmTimeoutMs: 50,
      connectTo: (address, dial) => (dial === 1 ? dialed(address) : unanswered()),
    });
    connection.destroy();
    await until('a evicted', () => (evicted.length > 0 ? evicted : undefined));
    expect({ evicted, connects: counts.connects }).toEqual({ evicted: ['a'], connects: 3 });
    await watch.stop();
  });

  it('given a member that left the group before closing its link (a planned stop), then nobody is evicted', async () => {
    const { watch, evicted, describe, a } = await watchingPeer();
    describe([]);
    kill(a);
    await until('a forgotten', () => (watch.watching === 0 ? true : undefined));
    expect(evicted).toEqual([]);
    await watch.stop();
  });

  it('given a member it cannot reach, then it is not evicted, dialled again now and then while it stays in the group, and reported once', async () => {
    const gone = await peer();
    gone.server.close();
    const { watch, evicted, lines, counts, describe } = watchOf('127.0.0.1:1', { retryUnreachableEveryMs: 30 });
    describe([member('far', gone.address)]);
    watch.start();
    await until('the refusal noted', () => (lines.length > 0 ? lines : undefined));
    await until('three more dials', () => (counts.connects >= 4 ? true : undefined));
    // A member being dialled counts as watched until the dial is refused.
    await until('the last dial refused', () => (watch.watching === 0 ? true : undefined));
    expect({ evicted, lines: lines.length, watching: watch.watching }).toEqual({ evicted: [], lines: 1, watching: 0 });
    // Once it answers, it is watched.
    const back = await peer(Number(gone.address.split(':')[1]));
    servers.push(back.server);
    await until('far watched', () => (back.accepted.length > 0 ? true : undefined));
    expect(watch.watching).toBe(1);
    await watch.stop();
  });

  it('given its own stop, then the connections it closes evict nobody', async () => {
    const { watch, evicted, connection } = await watchingPeer();
    await watch.stop();
    await until('the link closed', () => (connection.destroyed || connection.readableEnded ? true : undefined));
    expect(evicted).toEqual([]);
  });

  it('given its own stop while a dropped connection is being confirmed, then nobody is evicted and it dials no more', async () => {
    let redial: Socket | undefined;
    const { watch, evicted, connection, counts } = await watchingPeer([], {
      confirmTimeoutMs: 60_000,
      connectTo: (address, dial) => (dial === 1 ? dialed(address) : (redial = unanswered())),
    });
    connection.destroy();
    await until('a dialled again', () => redial);
    await watch.stop();
    await until('the dial given up', () => (redial!.destroyed ? true : undefined));
    await new Promise((resolve) => setImmediate(resolve));
    expect({ evicted, connects: counts.connects }).toEqual({ evicted: [], connects: 2 });
  });

  it('given its own stop while an eviction is under way, then the eviction failing then is not reported', async () => {
    let fail!: (error: Error) => void;
    const { watch, a, lines } = await watchingPeer([], { evict: () => new Promise((_resolve, reject) => (fail = reject)) });
    kill(a);
    await until('an eviction under way', () => fail);
    await watch.stop();
    fail(new Error('the group evictor is closed'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.filter((line) => line.includes('could not evict'))).toEqual([]);
  });
});
