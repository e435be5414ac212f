/** GET /admin/cluster's answer (docs/dashboard.md; the gateway's apps/gateway/src/cluster/cluster-view.ts). */
export interface PartitionView {
  partition: number;
  owner: string | null;
  address: string | null;
  phase: string;
  replay: { done: number; total: number } | null;
  lag: number | null;
  commitP99Ms: number | null;
  lastSnapshotOffset: number | null;
  lastOffset: number | null;
}

export interface ProcessView {
  instanceId: string;
  service: string;
  address: string | null;
  ready: boolean | null;
  partitions: number[];
  standbys: number | null;
}

export interface ClusterView {
  services: { service: string; partitions: PartitionView[] }[];
  processes: ProcessView[];
}
