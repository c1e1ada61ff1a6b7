import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Only the app's own origin for scripts, styles and images; ws:/wss: for brokers. Added to the
 * built page only: the dev server injects inline styles and a client that a strict policy blocks.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' ws: wss:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'kmp-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  // Relative paths: the build runs from any static host and any sub-path.
  base: './',
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  build: {
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
    // No modulepreload polyfill (0.25 KB gzip in the first screen): every browser with Web Serial
    // preloads modules itself, and where one does not, the modules still load, only unpreloaded.
    modulePreload: { polyfill: false },
    rollupOptions: {
      treeshake: {
        // The codec, link, store and mqtt layers are pure modules (the layering check keeps
        // src/kmp free of I/O): a module the first screen reaches only through an index but
        // never uses stays out of it. The one registration module is the exception.
        moduleSideEffects: (id) => !/\/src\/(kmp|link|store|mqtt)\//.test(id) || id.endsWith('/logger-frame-names.ts'),
      },
    },
  },
  plugins: [
    contentSecurityPolicy(),
    VitePWA({
      // 'prompt', not 'autoUpdate': an automatic reload would cut a meter session mid-read.
      registerType: 'prompt',
      // The icons are in public/ and so in the precache glob below; the plugin would add them again.
      includeManifestIcons: false,
      injectRegister: false,
      manifest: {
        id: './',
        name: 'kmp-web: Kamstrup meter reader',
        short_name: 'kmp-web',
        description:
          'Read Kamstrup MULTICAL heat meters through an infrared USB head, keep the readings, publish them to MQTT.',
        start_url: './?source=pwa',
        scope: './',
        display: 'standalone',
        theme_color: '#c2410c',
        background_color: '#ffffff',
        // One window only: two would fight over the serial port.
        launch_handler: { client_mode: 'focus-existing' },
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The plugin adds the manifest itself; listing it (or the icons in includeAssets) too
        // precached them twice.
        globPatterns: ['**/*.{js,css,html,png,svg}'],
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
      },
    }),
  ],
});
