import type { PartitionStatus } from '@app/engine';

/**
 * A gateway's request for how this process is doing (over the owner link, beside `{ envelope }` and `{ follow }`):
 * `{ status: true }`, answered with an `OwnerStatus`. The operator's dashboard gathers it from every owner.
 */
export type StatusRequest = { status: true };

/** What `/engine/status` says, plus who answers: an owner's side of the cluster view. */
export interface OwnerStatus {
  /** INSTANCE_ID (the Kafka client id it joins its group with); null when the server was not told. */
  instanceId: string | null;
  /** Every owned partition serving (false while starting: the engine is not handed over yet). */
  ready: boolean;
  partitions: PartitionStatus[];
  /** Partitions followed here as warm standbys. */
  standbys: number;
}

export const isStatusRequest = (body: unknown): body is StatusRequest =>
  typeof body === 'object' && body !== null && (body as Record<string, unknown>).status === true;
