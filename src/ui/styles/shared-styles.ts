import { css } from 'lit';

/** Colours and controls shared by every element; light and dark follow the system. */
export const sharedStyles = css`
  :host {
    color: var(--kmp-fg);
    font: inherit;
  }
  button {
    font: inherit;
    padding: 0.45rem 0.9rem;
    border-radius: 6px;
    border: 1px solid var(--kmp-border);
    background: var(--kmp-button-bg);
    color: var(--kmp-fg);
    cursor: pointer;
  }
  button.primary {
    background: var(--kmp-accent);
    border-color: var(--kmp-accent);
    color: var(--kmp-accent-fg);
  }
  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  a:focus-visible {
    outline: 3px solid var(--kmp-focus);
    outline-offset: 2px;
  }
  input,
  select {
    font: inherit;
    padding: 0.3rem;
    border: 1px solid var(--kmp-border);
    border-radius: 4px;
    background: var(--kmp-bg);
    color: var(--kmp-fg);
  }
  label {
    display: inline-flex;
    gap: 0.4rem;
    align-items: center;
    max-width: 100%;
  }
  /* A file input or a select goes under its text on a narrow screen instead of widening the page.
     (Not :has(> …): lit-analyzer's CSS parser refuses it, and every such control is the label's child.) */
  label:has(input[type='file']),
  label:has(select) {
    flex-wrap: wrap;
  }
  select,
  input[type='file'] {
    max-width: 100%;
  }
  /* Tap targets of 24 px at least (WCAG 2.2), on a phone held in one hand. */
  input[type='checkbox'],
  input[type='radio'] {
    width: 1.5rem;
    height: 1.5rem;
    margin: 0;
  }
  button {
    min-height: 2.25rem;
  }
  /* A wide table scrolls inside its own box (reachable by keyboard), never the page. */
  .scroll-x {
    overflow-x: auto;
    max-width: 100%;
  }
  .card {
    border: 1px solid var(--kmp-border);
    border-radius: 8px;
    padding: 1rem;
    background: var(--kmp-card-bg);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.6rem;
    align-items: center;
  }
  .muted {
    color: var(--kmp-muted);
  }
  .error {
    color: var(--kmp-bad);
  }
  .warn {
    color: var(--kmp-warn);
  }
  .ok {
    color: var(--kmp-good);
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 0.3rem 0.5rem;
    border-bottom: 1px solid var(--kmp-border);
  }
  td.num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  h2 {
    font-size: 1.1rem;
    margin: 0 0 0.6rem;
  }
`;
