/**
 * `zone-raw-fanout-server.ts <tickMs> <messageBytes>`: the fan-out baseline's server, a process of its own like
 * the gateway. A bare Socket.IO server that, every tick, emits each connected socket a `zone:tick` of about
 * `messageBytes` as JSON, built for that socket (the gateway cuts a delta per player). No Kafka, no zone, no
 * area of interest. Tells its port to the parent over IPC; runs until killed.
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const [tickMs, messageBytes] = process.argv.slice(2).map(Number);
if (!(tickMs > 0) || !(messageBytes > 0)) throw new Error('usage: zone-raw-fanout-server.ts <tickMs> <messageBytes>');

/** As many entities as bring a delta to the measured size; positions change with the tick like a moving crowd. */
function entitiesFilling(bytes: number) {
  const entities: { id: string; kind: 'player' | 'monster'; x: number; y: number; hp: number }[] = [];
  const sizeOf = () => JSON.stringify({ tick: 100_000, ackSeq: 10, entities, removed: [] }).length;
  while (sizeOf() < bytes) {
    const index = entities.length;
    entities.push(
      index % 2 === 0
        ? { id: `m${String(index).padStart(4, '0')}`, kind: 'monster', x: 4_000, y: 4_000, hp: 60 }
        : { id: `p_${index.toString(16).padStart(24, '0')}`, kind: 'player', x: 4_000, y: 4_000, hp: 100 },
    );
  }
  // One entity fewer may come closer to the size than overshooting it.
  const over = sizeOf() - bytes;
  const last = entities.pop();
  if (last && bytes - sizeOf() > over) entities.push(last);
  return entities;
}

const template = entitiesFilling(messageBytes);
const http = createServer();
const io = new Server(http);
let tick = 0;

setInterval(() => {
  tick++;
  for (const socket of io.sockets.sockets.values()) {
    const entities = template.map((entity, index) => ({ ...entity, x: entity.x + ((tick + index) % 100), y: entity.y - ((tick + index) % 100) }));
    socket.emit('zone:tick', { tick, ackSeq: 10, entities, removed: [] });
  }
}, tickMs);

http.listen(0, '127.0.0.1', () => process.send!({ port: (http.address() as AddressInfo).port, entitiesPerMessage: template.length }));
process.on('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
