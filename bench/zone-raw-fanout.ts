import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { io, Socket } from 'socket.io-client';
import { until } from './bench-support';
import { cpuDuring } from './cpu-usage';

const repoRoot = resolve(__dirname, '..');

export interface RawFanOut {
  clients: number;
  seconds: number;
  messagesPerSecond: number;
  bytesPerSecond: number;
  meanMessageBytes: number;
  entitiesPerMessage: number;
  fewestPerClient: number;
  outOfOrder: number;
  coresBusy: Record<string, number>;
}

interface Counts {
  messages: number;
  bytes: number;
  outOfOrder: number;
  lastTick: number;
}

/**
 * The fan-out baseline: a bare Socket.IO server process (zone-raw-fanout-server.ts) emitting a message of
 * `messageBytes` to each of `clients` socket.io-client connections every `tickMs`, counted as delivered the same
 * way the SDK players count `zone:tick` (JSON bytes per message).
 */
export async function measureRawFanOut(
  clients: number,
  tickMs: number,
  messageBytes: number,
  warmupSeconds: number,
  seconds: number,
  benchLabel: string,
): Promise<RawFanOut> {
  const server = spawn(process.execPath, ['--import', 'tsx', 'bench/zone-raw-fanout-server.ts', String(tickMs), String(Math.round(messageBytes))], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const sockets: Socket[] = [];
  try {
    const { port, entitiesPerMessage } = await listening(server);
    const counts: Counts[] = [];
    for (let index = 0; index < clients; index++) {
      const socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false });
      const counted: Counts = { messages: 0, bytes: 0, outOfOrder: 0, lastTick: -1 };
      socket.on('zone:tick', (message: { tick: number }) => {
        if (message.tick <= counted.lastTick) counted.outOfOrder++;
        counted.lastTick = Math.max(counted.lastTick, message.tick);
        counted.messages++;
        counted.bytes += Buffer.byteLength(JSON.stringify(message));
      });
      sockets.push(socket);
      counts.push(counted);
    }
    await until('every raw client connected', () => sockets.every((socket) => socket.connected), 30_000);
    await new Promise((done) => setTimeout(done, warmupSeconds * 1000));
    for (const counted of counts) Object.assign(counted, { messages: 0, bytes: 0, outOfOrder: 0 });
    const started = performance.now();
    const { coresBusy } = await cpuDuring(
      { [benchLabel]: process.pid, 'raw Socket.IO server': server.pid },
      () => new Promise((done) => setTimeout(done, seconds * 1000)),
    );
    const elapsed = (performance.now() - started) / 1000;
    const messages = counts.reduce((sum, counted) => sum + counted.messages, 0);
    const bytes = counts.reduce((sum, counted) => sum + counted.bytes, 0);
    return {
      clients,
      seconds: elapsed,
      messagesPerSecond: messages / elapsed,
      bytesPerSecond: bytes / elapsed,
      meanMessageBytes: bytes / messages,
      entitiesPerMessage,
      fewestPerClient: Math.min(...counts.map((counted) => counted.messages)),
      outOfOrder: counts.reduce((sum, counted) => sum + counted.outOfOrder, 0),
      coresBusy,
    };
  } finally {
    for (const socket of sockets) socket.disconnect();
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((done) => server.once('exit', done));
      server.kill('SIGTERM');
      await exited;
    }
  }
}

function listening(server: ChildProcess): Promise<{ port: number; entitiesPerMessage: number }> {
  return new Promise((resolve, reject) => {
    server.once('message', (message) => resolve(message as { port: number; entitiesPerMessage: number }));
    server.once('exit', (code) => reject(new Error(`the raw fan-out server exited with ${code} before listening`)));
  });
}
