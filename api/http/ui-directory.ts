// Where the built UI lives: dist/public, next to the compiled server (dist/api) and under the project
// root when the server runs from source with tsx. Vite writes it (vite.config.ts); nothing else does.
import fs from 'node:fs';
import path from 'node:path';

export function findUiDirectory(): string | null {
  const candidates = [
    path.join(__dirname, '..', '..', 'public'), // compiled: dist/api/http -> dist/public
    path.join(__dirname, '..', '..', 'dist', 'public'), // from source: api/http -> dist/public
  ];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html'))) ?? null;
}
