import { spawnSync } from 'node:child_process';
import { DEFAULT_PORTS, parseEnv, topicsEnvSchema } from '@app/config';
import { migrate } from '@app/postgres';
import { surviveClosedOutput } from './lib/closed-output';
import { Instance } from './lib/instances';
import { awaitLocalBroker, ensureKafka, stopKafka } from './lib/local-kafka';
import { localStack, localUrl, parseStackArgs } from './lib/local-stack';
import { provisionFromEnv } from './lib/provision';

/** Past a gateway's longest drain: GATEWAY_DRAIN_TIMEOUT_MS (10 s by default), then at most 10 s for answers. */
const STOP_GRACE_MS = 45_000;
const READY_TIMEOUT_MS = 120_000;

const say = (message: string) => console.log(`[start] ${message}`);

async function main(): Promise<void> {
  surviveClosedOutput();
  const env = parseEnv(topicsEnvSchema, process.env);
  // `npm start -- --gateways 2 ...`: the stack is checked before anything starts.
  const args = parseStackArgs(process.argv.slice(2));
  const specs = localStack(args, env.PORT ?? DEFAULT_PORTS.gateway);

  const kafka = await ensureKafka();
  let instances: Instance[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = (code: number) => {
    stopping ??= (async () => {
      say('stopping every instance');
      await Promise.all(instances.map((instance) => instance.stop(STOP_GRACE_MS)));
      if (kafka.started) await stopKafka();
      say('stopped; nothing left running');
      process.exit(code);
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));

  try {
    if (kafka.started) await awaitLocalBroker();
    const applied = await migrate(env.DATABASE_URL);
    say(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema up to date');
    const { created } = await provisionFromEnv(env, 'start-local');
    say(created.length ? `topics created: ${created.join(', ')}` : 'topics already provisioned');
    if (args.build) build();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return stopAll(1);
  }

  instances = specs.map((spec, index) => new Instance(spec, index));
  for (const instance of instances) {
    void instance.exited.then((code) => {
      if (!stopping) say(`${instance.spec.name} exited with code ${code}`);
    });
  }
  await waitUntilReady(instances, stopAll);
}

function build(): void {
  say('building the apps');
  const result = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('build failed');
}

async function waitUntilReady(instances: Instance[], stopAll: (code: number) => Promise<void>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const dead = instances.find((instance) => !instance.running);
    if (dead) {
      say(`${dead.spec.name} died while starting`);
      return stopAll(1);
    }
    const ready = await Promise.all(instances.map((instance) => instance.isReady()));
    if (ready.every(Boolean)) {
      say(`all ${instances.length} instances ready (Ctrl-C stops everything):`);
      for (const { spec, process } of instances) {
        const clients = spec.app === 'gateway' ? `  clients: ${localUrl(spec.port)}` : '';
        say(`  ${spec.name.padEnd(12)} pid ${process.pid}  ${localUrl(spec.port)}/health/ready${clients}`);
      }
      const gateway = localUrl(instances[0].spec.port);
      say(`play: ${gateway}/   operate: ${gateway}/admin/ (admin token: ADMIN_TOKEN, or dev-admin-token when unset)`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  say(`not every instance was ready within ${READY_TIMEOUT_MS / 1000} s`);
  return stopAll(1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
