// `npm start`: Keyhold standalone (or under Blocklet Server when its environment is present).
import { main } from '../api/index';

main().catch((err: unknown) => {
  process.stderr.write(`Keyhold failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
