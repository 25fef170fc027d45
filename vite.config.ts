import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The web app: sources in src/web, built into dist/web, which the Fastify server serves with an SPA fallback.
// In development (`npx vite`) API calls go to a server on 8080 (`npm start`).
export default defineConfig({
  root: 'src/web',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    // antd is one large vendor chunk; pages are split per route (React.lazy in modules.tsx).
    chunkSizeWarningLimit: 1600,
  },
  server: {
    proxy: {
      // Not the web's own modules under src/web/api/*.ts, which the dev server serves itself.
      '^/api/(?!.*\\.tsx?$)': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
