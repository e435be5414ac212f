import { serviceTopics, topicSpecs } from './topics';

describe('topic layout', () => {
  const plan = { prefix: 't1-', partitions: 6, replicationFactor: 1, commandRetentionMs: 1000 };

  it("names the commands, changes and events topics of each partitioned service, and the gateways' replies topic", () => {
    expect(serviceTopics('t1-', 'zone')).toEqual({ commands: 't1-zone.commands', events: 't1-zone.events', changes: 't1-zone.changes' });
    expect(topicSpecs(plan).map((spec) => spec.topic)).toEqual([
      't1-inventory.commands',
      't1-inventory.changes',
      't1-inventory.events',
      't1-zone.commands',
      't1-zone.changes',
      't1-zone.events',
      't1-gateway.replies',
    ]);
  });

  it('partitions commands and events alike', () => {
    expect(new Set(topicSpecs(plan).map((spec) => spec.numPartitions))).toEqual(new Set([6]));
  });

  it('keeps events forever, commands and changes for the configured time', () => {
    const byTopic = Object.fromEntries(
      topicSpecs(plan).map((spec) => [spec.topic, Object.fromEntries(spec.configEntries.map((entry) => [entry.name, entry.value]))]),
    );
    expect(byTopic['t1-inventory.events']).toMatchObject({ 'retention.ms': '-1', 'retention.bytes': '-1' });
    expect(byTopic['t1-inventory.commands']).toMatchObject({ 'retention.ms': '1000' });
    expect(byTopic['t1-inventory.changes']).toMatchObject({ 'retention.ms': '1000' });
  });
});
