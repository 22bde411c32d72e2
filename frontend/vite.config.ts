/// <reference types="vitest/config" />
import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

// The dev server only knows /playground/ (the folder's index.html); the Go
// server also answers /playground, so mirror that in development.
function playgroundRedirect(): Plugin {
  return {
    name: "cinegraph-playground-redirect",
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url === "/playground" || req.url?.startsWith("/playground?")) {
          res.statusCode = 302;
          res.setHeader("Location", req.url.replace("/playground", "/playground/"));
          res.end();
          return;
        }
        next();
      });
    },
  };
}

// The Go server serves dist/ at "/" (SPA fallback to index.html) and
// dist/playground/index.html at "/playground", so assets are "/"-rooted and
// resolve the same from any route depth.
export default defineConfig({
  base: "/",
  plugins: [react(), playgroundRedirect()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      onwarn(warning, warn) {
        // GraphiQL ships React-compiler "use no memo" directives; harmless when bundled.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
      input: {
        app: resolve(import.meta.dirname, "index.html"),
        playground: resolve(import.meta.dirname, "playground/index.html"),
      },
    },
  },
  worker: {
    format: "es",
  },
  server: {
    host: "127.0.0.1",
    proxy: {
      // The Host header is kept, so that the router sees the dev server as
      // the page's own origin: it opens websockets only for pages of its
      // own origin (or those router.cors.allowed_origins names).
      "/graphql": {
        target: "http://127.0.0.1:4000",
        ws: true,
        changeOrigin: false,
      },
      // Sign-in settings and demo tokens come from the router, next to
      // /graphql. Only these two: /auth/callback is the app's own route,
      // where the OpenID Connect provider sends the browser back.
      "/auth/config": {
        target: "http://127.0.0.1:4000",
        changeOrigin: false,
      },
      "/auth/demo-token": {
        target: "http://127.0.0.1:4000",
        changeOrigin: false,
      },
      // Artwork, renditions and manifests come from the platform's media host.
      "/media/": {
        target: "http://127.0.0.1:4000",
        changeOrigin: false,
      },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}", "playground/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    // Generous limits: CI and shared build machines can be slow.
    testTimeout: 30_000,
  },
});
