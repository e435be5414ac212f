import { Admin, ConfigResourceTypes } from 'kafkajs';
import { provisionTopics, topicSpecs } from '@app/kafka';
import { deleteTopicsWithPrefix } from '../support/provisioned-topics';
import { randomName } from '../support/random-names';
import { testKafka } from '../support/test-kafka';

describe('topic provisioning on the real broker', () => {
  let admin: Admin;
  // Every prefix of the suite starts with this one, so one sweep deletes what it provisioned.
  const suite = randomName('prov');

  beforeAll(async () => {
    admin = testKafka(randomName('provision')).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
    await deleteTopicsWithPrefix(`${suite}-`).catch(() => undefined);
  });

  const planFor = (prefix: string, partitions = 3) => ({ prefix, partitions, replicationFactor: 1, commandRetentionMs: 3_600_000 });

  it('creates every topic with equal partitions and unlimited event retention, then is idempotent', async () => {
    const plan = planFor(`${randomName(suite)}-`);
    const names = topicSpecs(plan).map((spec) => spec.topic);

    expect((await provisionTopics(admin, plan)).created).toEqual(names);
    const { topics } = await admin.fetchTopicMetadata({ topics: names });
    expect(topics.map((topic) => topic.partitions.length)).toEqual(names.map(() => 3));
    expect(names).toHaveLength(7);

    const events = `${plan.prefix}inventory.events`;
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: events, configNames: ['retention.ms', 'retention.bytes'] }],
    });
    const entries = Object.fromEntries(described.resources[0].configEntries.map((entry) => [entry.configName, entry.configValue]));
    expect(entries).toEqual({ 'retention.ms': '-1', 'retention.bytes': '-1' });

    expect(await provisionTopics(admin, plan)).toEqual({ created: [], existing: names });
  });

  it('refuses to go on when an existing topic has another partition count', async () => {
    const prefix = `${randomName(suite)}-`;
    await provisionTopics(admin, planFor(prefix, 2));
    await expect(provisionTopics(admin, planFor(prefix, 4))).rejects.toThrow(/differ from the configured 4: .*inventory.commands has 2/);
  });
});
