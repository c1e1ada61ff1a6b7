/// <reference types="vite-plugin-pwa/client" />
declare const __APP_VERSION__: string;
