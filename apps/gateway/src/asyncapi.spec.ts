import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { eventsVersionOf, RECORD_VERSION } from '@app/engine';
import { changesTopicOf, commandsTopicOf, eventsTopicOf, gatewayRepliesTopicOf, topicSpecs } from '@app/kafka';
import { inventoryDomain, playerCommandSchema, SLOTS } from '@app/inventory';
import { zoneDomain } from '@app/zone';
import { CLIENT_EVENTS, SERVER_EVENTS } from '@app/protocol';

/** docs/asyncapi.yaml against the code: event names, command types, slots, topic names. */
describe('docs/asyncapi.yaml', () => {
  const docs = join(__dirname, '../../../docs');
  const text = readFileSync(join(docs, 'asyncapi.yaml'), 'utf8');
  const document = parse(text) as {
    channels: Record<string, { address: string; messages?: Record<string, { payload?: { properties?: Record<string, { enum?: string[] }> } }> }>;
    components: {
      messages: Record<string, { payload: { schema?: { $ref?: string; allOf?: [{ $ref: string }, { properties: { eventsVersion: { const: number } } }] } } }>;
    };
  };
  const socketChannels = Object.values(document.channels).filter((channel) => !channel.address.includes('{'));

  it('names every socket event the gateway has, and no other', () => {
    expect(socketChannels.map((channel) => channel.address).sort()).toEqual([...CLIENT_EVENTS, ...SERVER_EVENTS].sort());
  });

  it('lists the command types and slots the gateway accepts', () => {
    const request = document.channels['inventory:command'].messages!.request.payload!.properties!;
    expect(request.type.enum!.sort()).toEqual(playerCommandSchema.options.map((option) => option.shape.type.value).sort());
    expect(request.slot.enum).toEqual([...SLOTS]);
  });

  it('names every provisioned topic', () => {
    const patterns = Object.values(document.channels)
      .filter((channel) => channel.address.includes('{'))
      .map((channel) => channel.address);
    const byPattern = (service: string) => patterns.map((pattern) => pattern.replace('{prefix}', 'p-').replace('{service}', service));
    const documented = new Set(['inventory', 'zone'].flatMap(byPattern));
    const provisioned = topicSpecs({ prefix: 'p-', partitions: 1, replicationFactor: 1, commandRetentionMs: 1 }).map((spec) => spec.topic);
    expect(provisioned.filter((topic) => !documented.has(topic))).toEqual([]);
    expect(documented).toContain(commandsTopicOf('p-', 'inventory'));
    expect(documented).toContain(eventsTopicOf('p-', 'zone'));
    expect(documented).toContain(changesTopicOf('p-', 'inventory'));
    expect(documented).toContain(gatewayRepliesTopicOf('p-'));
  });

  describe('the events topics', () => {
    const messageOf = (ref: unknown) => document.components.messages[String((ref as { $ref: string }).$ref).replace('#/components/messages/', '')];
    const messages = Object.values(document.channels.events.messages!).map(messageOf);
    const recordRef = (message: (typeof messages)[number]) => message.payload.schema?.$ref ?? message.payload.schema?.allOf?.[0].$ref;
    const logRecordFile = `schemas/log-record.v${RECORD_VERSION}.json`;

    it('has a message for every record type the published schema of the current format has', () => {
      const schema = JSON.parse(readFileSync(join(docs, logRecordFile), 'utf8')) as { definitions: { WrittenLogRecord: { anyOf: { $ref: string }[] } } };
      const recordTypes = schema.definitions.WrittenLogRecord.anyOf.map(({ $ref }) => `${logRecordFile}${$ref}`);
      expect(new Set(messages.map(recordRef))).toEqual(new Set(recordTypes));
    });

    it("has each service's outcome with that service's events in their current version", () => {
      for (const [message, domain] of [
        ['InventoryOutcomeRecord', inventoryDomain()],
        ['ZoneOutcomeRecord', zoneDomain()],
      ] as const) {
        const [, events] = document.components.messages[message].payload.schema!.allOf!;
        const version = eventsVersionOf(domain);
        expect(events).toEqual({
          properties: { events: { items: { $ref: `schemas/${domain.service}-events.v${version}.json` } }, eventsVersion: { const: version } },
        });
      }
    });

    it('refers only to schema files and definitions that exist', () => {
      const refs = [...text.matchAll(/\$ref: '(schemas\/[^'#]+)(?:#\/definitions\/([^']+))?'/g)];
      expect(refs.length).toBeGreaterThan(0);
      for (const [, file, definition] of refs) {
        expect(existsSync(join(docs, file))).toBe(true);
        if (definition) expect(Object.keys((JSON.parse(readFileSync(join(docs, file), 'utf8')) as { definitions: object }).definitions)).toContain(definition);
      }
    });
  });
});
