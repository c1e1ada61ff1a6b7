/**
 * The one table of pages: the shell's tabs and what each shows. Only the Meter page is in the
 * first screen's bundle; every other page's module is imported when its tab is first opened,
 * so the history chart and MQTT publishing cost nothing until used.
 */
import { msg } from '@lit/localize';
import { html, type TemplateResult } from 'lit';
import '../components/kmp-connect-panel.ts';
import './meter/kmp-identity-card.ts';
import './meter/kmp-readings-view.ts';

export interface PageEntry {
  id: string;
  /** The tab's text and accessible name, in the page's language (asked at each render). */
  title: () => string;
  /** Imports the page's elements; absent for the page bundled with the shell. */
  load?: () => Promise<unknown>;
  render: () => TemplateResult;
}

export const PAGES: readonly PageEntry[] = [
  {
    id: 'meter',
    title: () => msg('Meter'),
    render: () =>
      html`<kmp-connect-panel></kmp-connect-panel><kmp-identity-card></kmp-identity-card
        ><kmp-readings-view></kmp-readings-view>`,
  },
  {
    id: 'align',
    title: () => msg('Alignment'),
    load: () => import('./align/kmp-align-view.ts'),
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
    load: () => import('./meter-history/kmp-meter-history-view.ts'),
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
