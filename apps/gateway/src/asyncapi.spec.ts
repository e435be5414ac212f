import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { changesTopicOf, commandsTopicOf, eventsTopicOf, gatewayRepliesTopicOf, topicSpecs } from '@app/kafka';
import { playerCommandSchema, SLOTS } from '@app/inventory';
import { CLIENT_EVENTS, SERVER_EVENTS } from '@app/protocol';

/** docs/asyncapi.yaml against the code: event names, command types, slots, topic names. */
describe('docs/asyncapi.yaml', () => {
  const document = parse(readFileSync(join(__dirname, '../../../docs/asyncapi.yaml'), 'utf8')) as {
    channels: Record<string, { address: string; messages?: Record<string, { payload?: { properties?: Record<string, { enum?: string[] }> } }> }>;
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
});
