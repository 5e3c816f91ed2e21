// `npm start`: Keyhold standalone (or under Blocklet Server when its environment is present).
// From a fresh checkout there is no UI build yet: build it once first, then serve it.
import { main } from '../api/index';
import { ensureUiBuild } from './build-ui';

async function start(): Promise<void> {
  try {
    await ensureUiBuild({ when: 'missing', log: (line) => process.stdout.write(`${line}\n`) });
  } catch (err) {
    // The API and the gateway work without the console; say why it is missing and carry on.
    process.stderr.write(`The web console could not be built (${err instanceof Error ? err.message : String(err)}); run \`npm run build:ui\`.\n`);
  }
  await main();
}

start().catch((err: unknown) => {
  process.stderr.write(`Keyhold failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
