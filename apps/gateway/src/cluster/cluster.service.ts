import { Inject, Injectable } from '@nestjs/common';
import { analyticsGroupOf } from '@app/analytics';
import { GatewayConfig } from '@app/config';
import { commandsTopicOf, GroupMember, readGroup, serviceGroupOf } from '@app/kafka';
import { APP_CONFIG, OwnerStatus, Readiness, StatusRequest } from '@app/platform';
import { ServiceConnection, ServiceName } from '../shared/service-connection';
import { analyticsProcesses, ClusterView, clusterView, gatewayProcess, MemberReport, ownerStatusOf, ProcessView, ServiceReport } from './cluster-view';
import { peerReadiness } from './peer-readiness';
import { RecentAnswer } from './recent-answer';

const SERVICES: ServiceName[] = ['inventory', 'zone'];
/** How long an owner gets to say how it is doing: one that is gone (or stopped) must not hold the whole view up. */
const STATUS_TIMEOUT_MS = 1_000;
const STATUS_REQUEST: StatusRequest = { status: true };
/** How long a peer gateway (GATEWAY_PEER_URLS) gets to answer its /health/ready. */
const PEER_TIMEOUT_MS = 500;
/**
 * How long one view answers every request: each view asks both groups and every owner (which works out its partitions'
 * percentiles), so dashboards polling every second share one round a second instead of each making its own.
 */
const VIEW_MAX_AGE_MS = 1_000;

/**
 * The ownership view the dashboard draws: each service's consumer group (members, what they advertise, what they are
 * assigned) read from the coordinator, and every member asked how it is doing over the owner link this gateway already
 * keeps to it, all in parallel. With DIRECT_COMMANDS=off there are no links: owners come from the group, phases are unknown.
 * The processes also list this gateway, its peers (GATEWAY_PEER_URLS, asked their /health/ready) and the members of
 * the analytics group.
 */
@Injectable()
export class ClusterService {
  private readonly partitionCounts = new Map<ServiceName, number>();
  private readonly recentView = new RecentAnswer(() => this.gather(), VIEW_MAX_AGE_MS);

  constructor(
    private readonly services: ServiceConnection,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    private readonly readiness: Readiness,
  ) {}

  /** The view, shared by concurrent requests and reused for VIEW_MAX_AGE_MS after it was gathered. */
  view(): Promise<ClusterView> {
    return this.recentView.get();
  }

  private async gather(): Promise<ClusterView> {
    const [reports, peers, analytics] = await Promise.all([
      Promise.all(SERVICES.map((service) => this.report(service))),
      Promise.all(this.config.drain.peerUrls.map((url) => this.peer(url))),
      readGroup(this.services.admin, analyticsGroupOf(this.config.kafka.topicPrefix)),
    ]);
    // This gateway answers the view, so it is up: ready unless a planned stop withdrew it (GET /health/ready says so too).
    const self = gatewayProcess(this.config.instanceId, null, this.readiness.withdrawnFor === undefined);
    return clusterView(reports, [self, ...peers], analyticsProcesses(analytics.members));
  }

  private async peer(url: string): Promise<ProcessView> {
    return gatewayProcess(new URL(url).host, url, await peerReadiness(url, PEER_TIMEOUT_MS));
  }

  private async report(service: ServiceName): Promise<ServiceReport> {
    const { topicPrefix } = this.config.kafka;
    const commandsTopic = commandsTopicOf(topicPrefix, service);
    const [partitionCount, group] = await Promise.all([
      this.partitionCount(service, commandsTopic),
      readGroup(this.services.admin, serviceGroupOf(topicPrefix, service)),
    ]);
    const members = await Promise.all(group.members.map((member) => this.memberReport(service, commandsTopic, member)));
    return { service, partitionCount, members };
  }

  private async memberReport(service: ServiceName, commandsTopic: string, member: GroupMember): Promise<MemberReport> {
    const status = member.address ? await this.statusOf(service, member.address) : null;
    return { clientId: member.clientId, address: member.address, assigned: member.assignment[commandsTopic] ?? [], status };
  }

  /** What the owner at `address` says of itself; null when there is no link to ask on or it does not answer in time. */
  private async statusOf(service: ServiceName, address: string): Promise<OwnerStatus | null> {
    const owners = this.services.ownersOf(service);
    const link = owners?.linkTo(address);
    if (!owners || !link) return null;
    try {
      return ownerStatusOf(await link.request(STATUS_REQUEST, STATUS_TIMEOUT_MS));
    } catch (error) {
      owners.failed(address, error);
      return null;
    }
  }

  /** Read once per service (a topic's partitions never shrink, and provisioning refuses a changed count). */
  private async partitionCount(service: ServiceName, commandsTopic: string): Promise<number> {
    const known = this.partitionCounts.get(service);
    if (known !== undefined) return known;
    const [metadata] = (await this.services.admin.fetchTopicMetadata({ topics: [commandsTopic] })).topics;
    this.partitionCounts.set(service, metadata.partitions.length);
    return metadata.partitions.length;
  }
}
