import { awaitLocalBroker, ensureKafka, kafkaStatus, stopKafka } from './lib/local-kafka';
import { runMain } from './lib/run-main';

const commands: Record<string, () => Promise<void>> = {
  async start() {
    const { started } = await ensureKafka();
    if (started) await awaitLocalBroker();
  },
  stop: () => stopKafka(),
  async status() {
    console.log(await kafkaStatus());
  },
};

runMain(async () => {
  const command = commands[process.argv[2] ?? ''];
  if (!command) throw new Error(`usage: kafka.ts ${Object.keys(commands).join('|')}`);
  await command();
});
