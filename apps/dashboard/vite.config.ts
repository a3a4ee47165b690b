import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `vite dev` forwards the API to a running audit-log (which itself forwards endpoint routes to subscriptions-api),
// so the browser sees one origin in development just as it does when audit-log serves dist/.
const api = process.env.DASHBOARD_API ?? 'http://127.0.0.1:3002';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/v1': { target: api, changeOrigin: true } } },
});
