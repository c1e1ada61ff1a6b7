/**
 * The one table of pages: the shell's tabs and what each shows. Each page's module is imported
 * when its tab is first shown (the Meter page's at start, beside the app layer), so the first
 * screen holds only the shell, and the history chart and MQTT publishing cost nothing until used.
 */
import { msg } from '@lit/localize';
import { html, type TemplateResult } from 'lit';

export interface PageEntry {
  id: string;
  /** The tab's text and accessible name, in the page's language (asked at each render). */
  title: () => string;
  /** Imports the page's elements. */
  load: () => Promise<unknown>;
  render: () => TemplateResult;
}

export const PAGES: readonly PageEntry[] = [
  {
    id: 'meter',
    title: () => msg('Meter'),
    load: () => import('./meter/meter-page.ts'),
    render: () =>
      html`<kmp-connect-panel></kmp-connect-panel><kmp-identity-card></kmp-identity-card
        ><kmp-readings-view></kmp-readings-view>`,
  },
  {
    id: 'align',
    title: () => msg('Alignment'),
    // The connect panel too: opened first (a reload, a link), this page has no Meter page's module.
    load: () => Promise.all([import('./align/kmp-align-view.ts'), import('../components/kmp-connect-panel.ts')]),
    render: () => html`<kmp-connect-panel></kmp-connect-panel><kmp-align-view></kmp-align-view>`,
  },
  {
    id: 'scan',
    title: () => msg('Scan'),
    load: () => import('./scan/kmp-scan-view.ts'),
    render: () => html`<kmp-scan-view></kmp-scan-view>`,
  },
  {
    id: 'log',
    title: () => msg('Frame log'),
    load: () => import('./frame-log/kmp-frame-log.ts'),
    render: () => html`<kmp-frame-log></kmp-frame-log>`,
  },
  {
    id: 'history',
    title: () => msg('History'),
    load: () => import('./history/kmp-history-view.ts'),
    render: () => html`<kmp-history-view></kmp-history-view>`,
  },
  {
    id: 'meter-history',
    title: () => msg('Meter history'),
    load: () =>
      Promise.all([import('./meter-history/kmp-meter-history-view.ts'), import('../components/kmp-connect-panel.ts')]),
    render: () => html`<kmp-connect-panel></kmp-connect-panel><kmp-meter-history-view></kmp-meter-history-view>`,
  },
  {
    id: 'publish',
    title: () => msg('Publish'),
    load: () => import('./publish/kmp-publish-view.ts'),
    render: () => html`<kmp-publish-view></kmp-publish-view>`,
  },
  {
    id: 'settings',
    title: () => msg('Settings'),
    load: () => import('./settings/kmp-settings-view.ts'),
    render: () => html`<kmp-settings-view></kmp-settings-view>`,
  },
];
