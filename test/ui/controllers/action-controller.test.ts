import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { nothing, type TemplateResult } from 'lit';
import { describe, expect, it } from 'vitest';
import { ActionController } from '../../../src/ui/controllers/action-controller.ts';

function host(): ReactiveControllerHost & { updates: number } {
  const h = {
    updates: 0,
    addController: (_c: ReactiveController) => {},
    removeController: () => {},
    requestUpdate: () => void h.updates++,
    updateComplete: Promise.resolve(true),
  };
  return h;
}

describe('ActionController', () => {
  it('keeps a failure as the sentence to show, and clears it when the next action starts', async () => {
    const h = host();
    const actions = new ActionController(h);
    await actions.run('save', () =>
      Promise.reject(Object.assign(new Error('Storage is full.'), { advice: 'Free space.' })),
    );
    expect(actions.error).toBe('Storage is full. Free space.');
    expect(h.updates).toBeGreaterThan(0);
    let seen: string | undefined = 'not run';
    await actions.run('save', async () => {
      seen = actions.error;
    });
    expect(seen).toBeUndefined();
    expect(actions.error).toBeUndefined();
  });

  it('does not start an action again while it runs, and says so through its own setter', async () => {
    const shown: Array<string | undefined> = [];
    const actions = new ActionController(host(), (t) => shown.push(t));
    let release!: () => void;
    let starts = 0;
    const slow = () => {
      starts++;
      return new Promise<void>((r) => (release = r));
    };
    const first = actions.run('export', slow);
    expect(actions.isRunning('export')).toBe(true);
    await actions.run('export', slow);
    expect(starts).toBe(1);
    release();
    await first;
    expect(actions.isRunning('export')).toBe(false);
    actions.handler('export', () => Promise.reject(new Error('gone')))(new Event('click'));
    await new Promise((r) => setTimeout(r, 0));
    expect(starts).toBe(1);
    expect(shown.at(-1)).toBe('gone');
  });

  it('draws a Problem with its advice apart, anything else whole, and nothing before a failure', async () => {
    const actions = new ActionController(host());
    expect(actions.renderError()).toBe(nothing);
    await actions.run('a', () =>
      Promise.reject(Object.assign(new Error('The meter did not answer.'), { advice: 'Re-seat the head.' })),
    );
    expect((actions.renderError() as TemplateResult).values).toEqual([
      'Re-seat the head.',
      'The meter did not answer.',
    ]);
    await actions.run('a', () => Promise.reject(new Error('The disk failed.')));
    expect((actions.renderError() as TemplateResult).values).toEqual(['The disk failed.']);
    await actions.run('a', async () => {
      // A library that rejects with nothing at all.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw undefined;
    });
    expect((actions.renderError() as TemplateResult).values).toEqual([
      'Something went wrong, and it did not say what.',
    ]);
  });
});
