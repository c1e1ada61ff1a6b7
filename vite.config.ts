import { defineConfig } from 'vite';

export default defineConfig({
  // Relative paths: the build runs from any static host and any sub-path.
  base: './',
  build: { target: 'es2022', sourcemap: true },
});
