import { connect, createServer, Server, Socket } from 'node:net';
import { Admin, AssignerProtocol } from 'kafkajs';
import { CrashWatch } from './crash-watch';
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

/** A peer's owner link: a listening server whose accepted connections the test can close, as a dying process's kernel would. */
async function peer(): Promise<{ address: string; server: Server; accepted: Socket[] }> {
  const accepted: Socket[] = [];
  const server = createServer((socket) => accepted.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${(server.address() as { port: number }).port}`, server, accepted };
}

function watchOf(self: string) {
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
  const evictor: GroupEvictor = { evict: (_groupId, memberId) => evict(memberId), prepare: () => Promise.resolve(), close: () => Promise.resolve() };
  const lines: string[] = [];
  const connectTo = (address: string) => {
    counts.connects++;
    const [host, port] = address.split(':');
    return connect({ host, port: Number(port) });
  };
  const log = { log: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) };
  const watch = new CrashWatch({ admin, groupId: 'g', self, evictor, refreshEveryMs: 20, connectTo, log });
  return { watch, evicted, lines, counts, describe: (next: ReturnType<typeof member>[]) => (members = next) };
}

describe('CrashWatch', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((server) => server.close()));

  /** A watch (itself at 127.0.0.1:1) over a group of `others` and member `a` at a live peer, once it watches `a`. */
  async function watchingPeer(others: ReturnType<typeof member>[] = []) {
    const a = await peer();
    servers.push(a.server);
    const watched = watchOf('127.0.0.1:1');
    watched.describe([...others, member('a', a.address)]);
    watched.watch.start();
    const [connection] = await until('a watched', () => (a.accepted.length > 0 ? a.accepted : undefined));
    return { ...watched, connection };
  }

  it('given a member whose connection closes while the group still lists it, then it is evicted; itself it never watches', async () => {
    const { watch, evicted, connection } = await watchingPeer([member('self', '127.0.0.1:1')]);
    expect(watch.watching).toBe(1);
    connection.destroy();
    await until('a evicted', () => (evicted.length > 0 ? evicted : undefined));
    expect(evicted).toEqual(['a']);
    await watch.stop();
  });

  it('given a member that left the group before closing its link (a planned stop), then nobody is evicted', async () => {
    const { watch, evicted, describe, connection } = await watchingPeer();
    describe([]);
    connection.destroy();
    await until('a forgotten', () => (watch.watching === 0 ? true : undefined));
    expect(evicted).toEqual([]);
    await watch.stop();
  });

  it('given a member it cannot reach, then it is not evicted, and not tried again while it stays in the group', async () => {
    const gone = await peer();
    gone.server.close();
    const { watch, evicted, lines, counts, describe } = watchOf('127.0.0.1:1');
    describe([member('far', gone.address)]);
    watch.start();
    await until('the refusal noted', () => (lines.length > 0 ? lines : undefined));
    const readsThen = counts.reads;
    await until('three more reads', () => (counts.reads >= readsThen + 3 ? true : undefined));
    expect({ evicted, lines: lines.length, connects: counts.connects }).toEqual({ evicted: [], lines: 1, connects: 1 });
    await watch.stop();
  });

  it('given its own stop, then the connections it closes evict nobody', async () => {
    const { watch, evicted, connection } = await watchingPeer();
    await watch.stop();
    await until('the link closed', () => (connection.destroyed || connection.readableEnded ? true : undefined));
    expect(evicted).toEqual([]);
  });
});
