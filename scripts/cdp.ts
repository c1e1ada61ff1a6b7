/**
 * A small DevTools-protocol client over the browser's remote-debugging port: enough to find a
 * page, evaluate in it and send a command. Used where Playwright would change what is measured
 * (it keeps every page it drives "visible") or where the browser was started by someone else
 * (the station launcher).
 */
import WebSocket from 'ws';

export interface CdpTarget {
  id: string;
  type: string;
  url: string;
  webSocketDebuggerUrl: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The page targets on `port`, waiting up to `timeoutMs` for the browser to answer with at least one. */
export async function waitForPages(port: number, timeoutMs: number): Promise<CdpTarget[]> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as CdpTarget[];
      const pages = targets.filter((t) => t.type === 'page');
      if (pages.length) return pages;
    } catch (e) {
      last = e;
    }
    await sleep(200);
  }
  throw new Error(`no page on remote-debugging port ${port} within ${timeoutMs} ms (${String(last)})`);
}

/** Opens a new tab in the browser on `port` (in the same window, so it hides the tab in front). */
export async function openTab(port: number, url: string): Promise<CdpTarget> {
  const response = await fetch(`http://127.0.0.1:${port}/json/new?${encodeURI(url)}`, { method: 'PUT' });
  return (await response.json()) as CdpTarget;
}

/** One page's DevTools session. */
export class CdpPage {
  private next = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id!);
      if (message.error) waiting.reject(new Error(message.error.message));
      else waiting.resolve(message.result);
    });
  }

  static async connect(target: CdpTarget): Promise<CdpPage> {
    const ws = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new CdpPage(ws);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.next;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v as T), reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** The value of `expression` in the page (awaited if it is a promise), as JSON. */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.send<{
      result: { value?: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (exceptionDetails)
      throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text ?? 'evaluation failed');
    return result.value as T;
  }

  /** Waits until `expression` is truthy in the page, checking every 200 ms from here (not from the page's timers). */
  async waitFor(expression: string, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      try {
        if (await this.evaluate<boolean>(`Boolean(${expression})`)) return;
      } catch {
        // the page may be navigating: ask again
      }
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
      await sleep(200);
    }
  }

  close(): void {
    this.ws.close();
  }
}
