/// <reference types="vite/client" />
import type { TerminalBridge } from '#terminal-api/contract';

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

declare global {
  interface Window {
    /** Set by Electron's preload script; absent in a browser, which uses the web host's WebSocket. */
    tillsync?: TerminalBridge;
  }
}
