import { Admin, KafkaJSError, KafkaJSNonRetriableError } from 'kafkajs';
import { retryRetriable, topicOffsets } from './retry-retriable';

describe('retryRetriable', () => {
  /** A call that throws each of `failures` in turn, then answers 'ok'; counts its calls. */
  function callFailing(...failures: Error[]) {
    const call = jest.fn(async () => {
      const failure = failures.shift();
      if (failure) throw failure;
      return 'ok';
    });
    return call;
  }
  const notLeader = () => new KafkaJSError('This server is not the leader for that topic-partition', { retriable: true });

  it('given errors Kafka calls retriable, when they pass, then the call answers', async () => {
    const call = callFailing(notLeader(), notLeader());
    await expect(retryRetriable(call, 5, 1)).resolves.toBe('ok');
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('given an error that is not retriable, then it fails at once', async () => {
    const call = callFailing(new KafkaJSNonRetriableError('bad request'));
    await expect(retryRetriable(call, 5, 1)).rejects.toThrow('bad request');
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('given an error that is not from Kafka, then it fails at once', async () => {
    const call = callFailing(new TypeError('bug'));
    await expect(retryRetriable(call, 5, 1)).rejects.toThrow('bug');
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('given retriable errors past the attempts, then the last one fails the call', async () => {
    const call = callFailing(notLeader(), notLeader(), notLeader());
    await expect(retryRetriable(call, 3, 1)).rejects.toThrow('not the leader');
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('given kafkajs failing to find a topic its metadata does not hold yet (a TypeError), then topicOffsets reads the metadata and asks again', async () => {
    const offsets = [{ partition: 0, offset: '5', high: '5', low: '0' }];
    const fetchTopicOffsets = jest
      .fn()
      .mockRejectedValueOnce(new TypeError("Cannot destructure property 'partitions' of 'low.pop(...)' as it is undefined."))
      .mockResolvedValueOnce(offsets);
    const fetchTopicMetadata = jest.fn(async () => ({ topics: [] }));
    await expect(topicOffsets({ fetchTopicOffsets, fetchTopicMetadata } as unknown as Admin, 'events')).resolves.toEqual(offsets);
    expect(fetchTopicMetadata).toHaveBeenCalledWith({ topics: ['events'] });
    expect(fetchTopicOffsets).toHaveBeenCalledTimes(2);
  });
});
