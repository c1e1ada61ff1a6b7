/**
 * The meter's exact decimals in the reader's language: only the decimal separator and the minus
 * sign follow the locale (through Intl), never the digits. No digit grouping: the meter's own
 * display shows none, and in German or Dutch a grouped "55.006" would read as fifty-five thousand
 * and six. Exports and MQTT payloads never pass through here (they keep the dot).
 */

const symbolsCache = new Map<string, { decimal: string; minus: string }>();

/** The decimal separator and minus sign of `locale` (undefined: the browser's). */
export function numberSymbols(locale?: string): { decimal: string; minus: string } {
  const key = locale ?? '';
  let symbols = symbolsCache.get(key);
  if (!symbols) {
    const parts = new Intl.NumberFormat(locale).formatToParts(-1.5);
    symbols = {
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      minus: parts.find((p) => p.type === 'minusSign')?.value ?? '-',
    };
    symbolsCache.set(key, symbols);
  }
  return symbols;
}

/** "-55.006" → "-55,006" in de, unchanged in en; anything that is not a plain decimal is left as it is. */
export function formatExactDecimal(decimal: string, locale?: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal);
  if (!m) return decimal;
  const { decimal: point, minus } = numberSymbols(locale);
  return `${m[1] ? minus : ''}${m[2]}${m[3] !== undefined ? point + m[3] : ''}`;
}
