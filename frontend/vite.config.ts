/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Django serves the build: index.html for client-side paths, the hashed assets as static files
// under /static/app/ (config/settings/base.py). In development Vite serves the app itself and
// proxies /api to Django (`make run` on 127.0.0.1:8000, or $LMS_API).
export default defineConfig(({ command }) => ({
  base: command === "build" ? "/static/app/" : "/",
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      // The Host header stays the browser's, so the cookie endpoints' Origin check sees its own site.
      "/api": { target: process.env.LMS_API ?? "http://127.0.0.1:8000", changeOrigin: false },
    },
  },
  build: { outDir: "dist", emptyOutDir: true },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
  },
}));
