// Where the built UI lives: dist/public in a build or bundle, src/public when run from source.
import fs from 'node:fs';
import path from 'node:path';

export function findUiDirectory(): string | null {
  const candidates = [path.join(__dirname, '..', '..', 'public'), path.join(__dirname, '..', '..', 'src', 'public')];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html'))) ?? null;
}
