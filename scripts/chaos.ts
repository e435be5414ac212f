import { surviveClosedOutput } from './lib/closed-output';
import { Disruption, promiseRun, runOptions } from './promise/promise-run';

/**
 * `npm run chaos`: a local stack under trading and walking players; every `--every` seconds (10) for `--seconds` (60)
 * a random app process gets kill -9 and is started again at once, as a platform restarts a crashed container.
 * Prints what was acknowledged, refused, lost and doubled, and the pause players saw after each kill.
 */
async function main(): Promise<number> {
  surviveClosedOutput();
  const { whole, shape } = runOptions({ every: { type: 'string', default: '10' }, seconds: { type: 'string', default: '60' } });
  const everyMs = whole('every', 1, 3_600) * 1_000;
  const seconds = whole('seconds', 1, 86_400);
  return promiseRun(
    'chaos',
    {
      ...shape,
      rate: whole('rate', 1, 5_000),
      traders: whole('traders', 2, 1_000),
      walkers: whole('walkers', 0, 1_000),
      basePort: whole('port', 1_024, 60_000),
    },
    async (instances) => {
      const disruptions: Disruption[] = [];
      const end = Date.now() + seconds * 1_000;
      while (Date.now() + everyMs <= end) {
        await new Promise((resolve) => setTimeout(resolve, everyMs));
        const victim = instances[Math.floor(Math.random() * instances.length)];
        const at = Date.now();
        console.log(`[promise] kill -9 ${victim.spec.name}`);
        await victim.stop('SIGKILL');
        victim.start();
        await victim.ready();
        disruptions.push({ at, what: `kill -9 ${victim.spec.name}`, backMs: Date.now() - at });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, end - Date.now())));
      return disruptions;
    },
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
