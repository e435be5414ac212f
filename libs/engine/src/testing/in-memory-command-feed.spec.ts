import { CommandFeed } from '../ports/command-feed';
import { commandFeedContract, CommandFeedFixture, InMemoryConsumerGroup, InMemoryTopics } from '@app/engine/testing';

async function makeFixture(): Promise<CommandFeedFixture> {
  const topics = new InMemoryTopics();
  topics.create('contract.commands', 3);
  const group = new InMemoryConsumerGroup(topics, 'contract.commands');
  const feeds: CommandFeed[] = [];
  return {
    partitions: 3,
    newFeed() {
      const feed = group.newFeed();
      feeds.push(feed);
      return feed;
    },
    async append(partition, values) {
      const first = topics.append(
        'contract.commands',
        partition,
        values.map((value) => ({ key: '', value })),
      );
      return values.map((_, index) => first + index);
    },
    async close() {
      await Promise.all(feeds.map((feed) => feed.stop()));
    },
  };
}

commandFeedContract('InMemoryCommandFeed', makeFixture);
