/**
 * `npm run bench [scenario...]`: runs the named scenarios (all when none is named), one after the other on
 * the same broker. Each prints its table and writes bench/results/<scenario>.md and .json.
 */
import { engineBench } from './engine-bench';
import { inventoryBench } from './inventory-bench';
import { peersBench } from './peers/peers-bench';
import { zoneBench } from './zone-bench';

const scenarios: Record<string, () => Promise<void>> = { engine: engineBench, inventory: inventoryBench, zone: zoneBench, peers: peersBench };

async function main(): Promise<void> {
  const named = process.argv.slice(2);
  const unknown = named.filter((name) => !(name in scenarios));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}`);
  for (const name of named.length > 0 ? named : Object.keys(scenarios)) {
    console.log(`[bench] scenario ${name}`);
    await scenarios[name]();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
