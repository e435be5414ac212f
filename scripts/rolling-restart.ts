import { surviveClosedOutput } from './lib/closed-output';
import { Disruption, promiseRun, restarted, runOptions, runScript } from './promise/promise-run';

/**
 * `npm run rolling-restart`: a local stack (2 gateways, 2 inventory, 2 zone by default) under trading and walking
 * players; every process in turn gets SIGTERM and is started again, the way a platform rolls out a new version.
 * Prints what was acknowledged, refused, lost and doubled, and what players saw of each handoff.
 */
runScript(async () => {
  surviveClosedOutput();
  const { whole, options } = runOptions({ settle: { type: 'string', default: '5' } });
  const settle = () => new Promise((resolve) => setTimeout(resolve, whole('settle', 1, 600) * 1_000));
  return promiseRun('rolling-restart', options, async (instances) => {
    const disruptions: Disruption[] = [];
    await settle();
    for (const instance of instances) {
      disruptions.push(await restarted(instance, 'SIGTERM'));
      await settle();
    }
    return disruptions;
  });
});
