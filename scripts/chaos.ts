import { surviveClosedOutput } from './lib/closed-output';
import { Disruption, promiseRun, restarted, runOptions, runScript } from './promise/promise-run';

/**
 * `npm run chaos`: a local stack under trading and walking players; every `--every` seconds (10) for `--seconds` (60)
 * a random app process gets kill -9 and is started again at once, as a platform restarts a crashed container.
 * Prints what was acknowledged, refused, lost and doubled, and the pause players saw after each kill.
 */
runScript(async () => {
  surviveClosedOutput();
  const { whole, options } = runOptions({ every: { type: 'string', default: '10' }, seconds: { type: 'string', default: '60' } });
  const everyMs = whole('every', 1, 3_600) * 1_000;
  const seconds = whole('seconds', 1, 86_400);
  return promiseRun('chaos', options, async (instances) => {
    const disruptions: Disruption[] = [];
    const end = Date.now() + seconds * 1_000;
    while (Date.now() + everyMs <= end) {
      await new Promise((resolve) => setTimeout(resolve, everyMs));
      disruptions.push(await restarted(instances[Math.floor(Math.random() * instances.length)], 'SIGKILL'));
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, end - Date.now())));
    return disruptions;
  });
});
