import type { AggregateDomain } from '@app/engine';
import { inventoryDomain } from '@app/inventory';
import { zoneDomain } from '@app/zone';
import type { ProjectedService } from './project-outcome';

/** What the projection needs of a service's domain: its events' upcasters (the version it knows is their count + 1). */
export type EventsDomain = Pick<AggregateDomain<unknown, unknown, unknown, unknown>, 'service' | 'eventUpcasters'>;
export type EventsDomains = Record<ProjectedService, EventsDomain>;

/**
 * The domains whose events the projection reads, as the services run them: an outcome's events reach the projection
 * in the current version of the domain's events, through the same upcasters replay uses.
 */
export const PROJECTED_DOMAINS: EventsDomains = { inventory: inventoryDomain(), zone: zoneDomain() };
