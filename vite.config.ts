// Vite builds the console from src/ into dist/public, where both `npm start` (from source) and the
// compiled server look. Asset paths are relative ('./') because under Blocklet Server the app is mounted
// at a prefix the server only knows at request time; the server injects <base href> into index.html.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';

const outDir = process.env.KEYHOLD_UI_OUT_DIR ?? path.resolve(__dirname, 'dist/public');

export default defineConfig({
  root: path.resolve(__dirname, 'src'),
  base: './',
  publicDir: false,
  plugins: [react()],
  resolve: {
    // The Blocklet libraries nest their own copies; two Reacts or two emotion caches break hooks and theming.
    dedupe: ['react', 'react-dom', '@mui/material', '@mui/system', '@emotion/react', '@emotion/styled'],
  },
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // Stable vendor chunks keep page-only changes from invalidating the big libraries' cache.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/node_modules\/(react|react-dom|scheduler|react-router|react-router-dom)\//.test(id)) return 'react';
          if (/node_modules\/@(mui\/material|mui\/system|mui\/utils|mui\/styled-engine|emotion)\//.test(id)) return 'mui';
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3030', '/v1': 'http://127.0.0.1:3030', '/login': 'http://127.0.0.1:3030', '/logout': 'http://127.0.0.1:3030' } },
});
