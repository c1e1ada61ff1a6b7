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

/** A layer's index (src/kmp/index.ts …): it only re-exports its layer's modules. */
const LAYER_INDEX = /[\\/]src[\\/][a-z]+[\\/]index\.ts$/;

/**
 * The modules `from` reaches through static imports, itself included (Rollup's module graph),
 * short of what lies behind a layer's index: an index reaches its whole layer, of which the
 * importer uses a part, and a chunk group keeps every module it captures, used or not. What
 * is behind an index is left to the bundler's own chunking, which drops what is unused.
 */
function staticReach(getInfo: (id: string) => { importedIds: readonly string[] } | null, from: string): Set<string> {
  const seen = new Set<string>();
  const stack = [from];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    if (!LAYER_INDEX.test(id)) stack.push(...(getInfo(id)?.importedIds ?? []));
  }
  return seen;
}

const APP_LAYER = '/src/ui/services/start-services.ts';
const METER_PAGE = '/src/ui/pages/meter/meter-page.ts';
/** Filled at the end of the module graph's build, read when the chunks are made. */
const startGroups = { shell: new Set<string>(), app: new Set<string>(), meterPage: new Set<string>() };

/**
 * main.ts loads the app layer and the Meter page at once, beside the first screen. Left to
 * itself the bundler cuts what they share with the other pages into dozens of small chunks
 * (about 15 KB gzip more in all than the same code in three); this names three chunks: the
 * shell (what main.ts reaches), then what the app layer and the Meter page each add to it.
 */
function startChunks(): Plugin {
  return {
    name: 'kmp-start-chunks',
    apply: 'build',
    buildEnd() {
      const ids = [...this.getModuleIds()];
      const find = (suffix: string) => ids.find((id) => id.endsWith(suffix));
      const entry = find('/src/main.ts');
      const app = find(APP_LAYER);
      const meter = find(METER_PAGE);
      if (!entry || !app || !meter) return;
      const info = (id: string) => this.getModuleInfo(id);
      const first = staticReach(info, entry);
      // Behind an index the shell's reach is not known, and the shell's chunk would import the app's.
      const index = [...first].find((id) => LAYER_INDEX.test(id));
      if (index)
        this.error(
          `The first screen (src/main.ts) reaches ${index}: import the modules themselves, not a layer's index.`,
        );
      startGroups.shell = first;
      // A module some code loads on demand keeps its own chunk: reached through an index only,
      // it would otherwise be pulled into a start chunk that never uses it.
      const own = (id: string) => !first.has(id) && !this.getModuleInfo(id)?.dynamicImporters.length;
      startGroups.app = new Set([...staticReach(info, app)].filter(own));
      startGroups.meterPage = new Set(
        [...staticReach(info, meter)].filter((id) => own(id) && !startGroups.app.has(id)),
      );
    },
    // Chunks that import each other in a circle evaluate in whichever order their loading
    // happens to start them: a module can then read another's constant before it is set (seen
    // as an app that, now and then, did not start). Refused at build time instead.
    generateBundle(_options, bundle) {
      const imports = new Map(
        Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c.imports] as const] : [])),
      );
      const state = new Map<string, 'open' | 'done'>();
      const visit = (file: string, path: string[]): void => {
        state.set(file, 'open');
        for (const next of imports.get(file) ?? []) {
          if (state.get(next) === 'open')
            this.error(`Chunks import each other in a circle: ${[...path, file, next].join(' → ')}`);
          if (!state.has(next)) visit(next, [...path, file]);
        }
        state.set(file, 'done');
      };
      for (const file of imports.keys()) if (!state.has(file)) visit(file, []);
    },
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
      output: {
        codeSplitting: {
          // Each group takes the modules its own reach needs (includeDependenciesRecursively, the
          // default): with it off, what a group left to the automatic chunks imported the group
          // back, a circle between chunks.
          groups: [
            { name: 'shell', test: (id: string) => startGroups.shell.has(id), priority: 3 },
            { name: 'app', test: (id: string) => startGroups.app.has(id), priority: 2 },
            { name: 'meter-page', test: (id: string) => startGroups.meterPage.has(id), priority: 1 },
          ],
        },
      },
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
    startChunks(),
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
