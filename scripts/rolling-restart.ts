import { surviveClosedOutput } from './lib/closed-output';
import { Disruption, promiseRun, runOptions } from './promise/promise-run';

/**
 * `npm run rolling-restart`: a local stack (2 gateways, 2 inventory, 2 zone by default) under trading and walking
 * players; every process in turn gets SIGTERM and is started again, the way a platform rolls out a new version.
 * Prints what was acknowledged, refused, lost and doubled, and what players saw of each handoff.
 */
async function main(): Promise<number> {
  surviveClosedOutput();
  const { whole, shape } = runOptions({ settle: { type: 'string', default: '5' } });
  const settleMs = whole('settle', 1, 600) * 1_000;
  return promiseRun(
    'rolling-restart',
    {
      ...shape,
      rate: whole('rate', 1, 5_000),
      traders: whole('traders', 2, 1_000),
      walkers: whole('walkers', 0, 1_000),
      basePort: whole('port', 1_024, 60_000),
    },
    async (instances) => {
      const disruptions: Disruption[] = [];
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      for (const instance of instances) {
        const at = Date.now();
        console.log(`[promise] SIGTERM ${instance.spec.name}`);
        await instance.stop('SIGTERM');
        instance.start();
        await instance.ready();
        disruptions.push({ at, what: `SIGTERM ${instance.spec.name}`, backMs: Date.now() - at });
        await new Promise((resolve) => setTimeout(resolve, settleMs));
      }
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
