import { LinkError, linkWords } from './link-error.ts';

/**
 * How many requests a read may spend without one good reply before it gives up. Every request
 * costs the meter's battery; split-and-retry rescues a flaky line, but once nothing gets through
 * it would only spend more (a 31-register read took some 90 requests on a line that damaged
 * every reply). A good reply starts the count again, so a line that lets replies through is
 * still read to the end.
 */
export class RequestBudget {
  private sinceGood = 0;
  private last: LinkError | undefined;

  /** `limit`: requests allowed in a row without a good reply (at least 1). */
  constructor(readonly limit: number) {}

  /** The budget for a read that takes `healthyRequests` on a good line: three times that. */
  static forRead(healthyRequests: number): RequestBudget {
    return new RequestBudget(3 * Math.max(1, healthyRequests));
  }

  /** Asks for one more request; false once the budget is spent. */
  take(): boolean {
    if (this.exhausted) return false;
    this.sinceGood++;
    return true;
  }

  /** A good reply came: the line works, the count starts again. */
  good(): void {
    this.sinceGood = 0;
  }

  /** A request failed: kept as the reason, should the budget run out. */
  failed(error: LinkError): void {
    this.last = error;
  }

  get exhausted(): boolean {
    return this.sinceGood >= this.limit;
  }

  /**
   * The read's last failure (`last`, or the one the budget saw) said as the reason it stopped.
   * Same kind, so it is handled the same way.
   */
  gaveUp(last: LinkError | undefined = this.last): LinkError {
    const error = last ?? new LinkError('no-answer');
    const damaged = error.kind === 'bad-crc' || error.kind === 'cut-off';
    // An overrun keeps its own words (how long bytes kept coming): it is no checksum failure.
    const requests = this.sinceGood;
    return new LinkError(error.kind, damaged ? error.detail : undefined, {
      message: damaged
        ? linkWords('link.gave-up.damaged', { requests })
        : linkWords('link.gave-up', { failure: error.words, requests }),
      advice: linkWords('link.gave-up.advice', { advice: error.adviceWords }),
    });
  }
}
