import { AggregateDomain, eventsVersionOf } from '../domain/aggregate-domain';
import { OutcomeRecord } from './records';

type EventsDomain = Pick<AggregateDomain<unknown, unknown, unknown, unknown>, 'service' | 'eventUpcasters'>;

/**
 * An outcome's events in the current version of its domain's events: those of an older version go through the
 * domain's `eventUpcasters` in turn; those of a newer version are an error (evolving them as if current would be a
 * silent misread). A record that does not say is of version 1, as every record before events were versioned.
 */
export function currentEvents(domain: EventsDomain, record: OutcomeRecord): unknown[] {
  const version = record.eventsVersion ?? 1;
  const current = eventsVersionOf(domain);
  if (version === current) return record.events;
  if (!Number.isSafeInteger(version) || version < 1 || version > current) {
    throw new Error(
      `the outcome of ${record.commandId} holds ${domain.service} events of version ${version}; this code knows versions 1 to ${current}: read the log with a newer version`,
    );
  }
  const upcasters = domain.eventUpcasters!.slice(version - 1);
  return record.events.map((event) => upcasters.reduce((upcast, upcaster) => upcaster(upcast), event));
}

/** The outcome with its events in the current version, for readers outside the engine (projections) that use them. */
export function withCurrentEvents(domain: EventsDomain, record: OutcomeRecord): OutcomeRecord {
  const events = currentEvents(domain, record);
  return events === record.events ? record : { ...record, events, eventsVersion: eventsVersionOf(domain) };
}
