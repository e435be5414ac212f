import { Admin } from 'kafkajs';
import { TopicPlan, topicSpecs } from './topics';

export interface ProvisionResult {
  created: string[];
  existing: string[];
}

/**
 * Creates every service topic that is missing and checks the ones that exist.
 * A partition count that differs from the plan is an error, never silently accepted:
 * commands and events must be partitioned alike for ownership to line up.
 */
export async function provisionTopics(admin: Admin, plan: TopicPlan): Promise<ProvisionResult> {
  const specs = topicSpecs(plan);
  const present = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !present.has(spec.topic));
  const existing = specs.filter((spec) => present.has(spec.topic));

  if (existing.length > 0) {
    const { topics } = await admin.fetchTopicMetadata({ topics: existing.map((spec) => spec.topic) });
    const wrong = topics.filter((topic) => topic.partitions.length !== plan.partitions);
    if (wrong.length > 0) {
      const detail = wrong.map((topic) => `${topic.name} has ${topic.partitions.length}`).join(', ');
      throw new Error(`Topic partition counts differ from the configured ${plan.partitions}: ${detail}`);
    }
  }
  if (missing.length > 0) {
    await admin.createTopics({ topics: missing, waitForLeaders: true });
  }
  return { created: missing.map((spec) => spec.topic), existing: existing.map((spec) => spec.topic) };
}
