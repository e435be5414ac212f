import { AdminApi, Unauthorized } from './admin-api';
import { PARTITION_COLUMNS, partitionRows, PROCESS_COLUMNS, processRows, servingSummary } from './cluster-rows';
import type { ClusterView } from '../../src/cluster/cluster-view';
import { byId, header, renderRows, say } from './dom';
import { Poller } from './poller';

/** Every partition of every service and every process, from GET /admin/cluster, refreshed every second. */
export class ClusterPanel {
  readonly poller = new Poller(1_000, () => this.refresh());
  private readonly partitions = byId<HTMLTableElement>('partitions');
  private readonly processes = byId<HTMLTableElement>('processes');
  private readonly status = byId('cluster-status');

  constructor(private readonly api: AdminApi) {
    header(this.partitions.createTHead(), PARTITION_COLUMNS);
    header(this.processes.createTHead(), PROCESS_COLUMNS);
  }

  private async refresh(): Promise<void> {
    try {
      const view = await this.api.get<ClusterView>('/admin/cluster');
      renderRows(this.partitions.tBodies[0], partitionRows(view), 'partition-row');
      renderRows(this.processes.tBodies[0], processRows(view), 'process-row');
      say(this.status, `${servingSummary(view)} · updated ${new Date().toLocaleTimeString()}`);
    } catch (error) {
      // The rows stay as last seen, marked stale by the status line, rather than vanish while the gateway is away.
      if (!(error instanceof Unauthorized)) say(this.status, `not refreshed: ${(error as Error).message}`, 'error');
      throw error;
    }
  }
}
