import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerPlace, clusterPlaces, startBrokerIn, startClusterIn } from '../../scripts/lib/local-kafka';
import { freePort } from './free-port';
import { pollUntil } from './poll';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A data directory of its own and free loopback ports for one broker. */
const newPlace = async (): Promise<Omit<BrokerPlace, 'cluster'>> => ({
  dir: mkdtempSync(join(tmpdir(), 'own-kafka-')),
  port: await freePort(),
  controllerPort: await freePort(),
});

/**
 * A Kafka broker of one test's own (the suite's broker is shared and must never be stopped): free loopback ports,
 * its own data directory, started with the project's local-broker helpers. It can be killed and started again on
 * the same data; `remove` kills it and deletes its directory.
 */
export class OwnBroker {
  private constructor(
    private readonly place: BrokerPlace,
    private pid: number,
  ) {}

  static async start(): Promise<OwnBroker> {
    const place = await newPlace();
    try {
      return new OwnBroker(place, await startBrokerIn(place));
    } catch (error) {
      rmSync(place.dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The nodes of one cluster, started together (none serves alone); see `OwnCluster`. */
  static async startCluster(size: number): Promise<OwnBroker[]> {
    const places = clusterPlaces(await Promise.all(Array.from({ length: size }, newPlace)));
    try {
      const pids = await startClusterIn(places);
      return places.map((place, index) => new OwnBroker(place, pids[index]));
    } catch (error) {
      for (const place of places) rmSync(place.dir, { recursive: true, force: true });
      throw error;
    }
  }

  get brokers(): string {
    return `127.0.0.1:${this.place.port}`;
  }

  /** Its id in its cluster (1 for a broker alone), as Kafka's metadata names it. */
  get nodeId(): number {
    return this.place.cluster?.nodeId ?? 1;
  }

  /** kill -9, and waits until the process is gone. */
  async kill(): Promise<void> {
    if (alive(this.pid)) process.kill(this.pid, 'SIGKILL');
    await pollUntil('the broker gone', () => (alive(this.pid) ? undefined : true), 10_000);
  }

  /** Starts it again on the same data and ports; resolves once it can create a topic. */
  async restart(): Promise<void> {
    this.pid = await startBrokerIn(this.place);
  }

  async remove(): Promise<void> {
    await this.kill().catch(() => undefined);
    rmSync(this.place.dir, { recursive: true, force: true });
  }
}

/**
 * A cluster of one test's own: `size` combined broker + controller nodes (every one a voter), whose topics default to
 * one replica per node with `min.insync.replicas=2`. Each node can be killed and started again alone.
 */
export class OwnCluster {
  private constructor(readonly nodes: OwnBroker[]) {}

  static async start(size: number): Promise<OwnCluster> {
    return new OwnCluster(await OwnBroker.startCluster(size));
  }

  /** Every node, as KAFKA_BROKERS names them. */
  get brokers(): string {
    return this.nodes.map((node) => node.brokers).join(',');
  }

  node(nodeId: number): OwnBroker {
    const node = this.nodes.find((each) => each.nodeId === nodeId);
    if (!node) throw new Error(`no node ${nodeId} in this cluster`);
    return node;
  }

  async remove(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.remove()));
  }
}
