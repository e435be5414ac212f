import { Consumer, ConsumerConfig, Kafka, Producer, ProducerConfig } from 'kafkajs';

/**
 * A client to hand to an adapter under test that records every consumer and producer it makes, so a
 * fixture's `close()` can disconnect what a failed (timed-out) test left running and jest still exits.
 */
export function trackingKafka(kafka: Kafka): { kafka: Kafka; disconnectAll(): Promise<void> } {
  const clients: (Consumer | Producer)[] = [];
  const tracked = new Proxy(kafka, {
    get(target, property, receiver) {
      if (property === 'consumer') {
        return (config: ConsumerConfig) => {
          const consumer = target.consumer(config);
          clients.push(consumer);
          return consumer;
        };
      }
      if (property === 'producer') {
        return (config?: ProducerConfig) => {
          const producer = target.producer(config);
          clients.push(producer);
          return producer;
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
  return {
    kafka: tracked,
    disconnectAll: async () => void (await Promise.all(clients.map((client) => client.disconnect().catch(() => undefined)))),
  };
}
