/**
 * The sentence a person sees for any failure, in the kmp layer so that ui, app and main.ts all
 * reach it without bending the layering (kmp is the layer every other one but usb may import).
 */

/**
 * What to show for a caught value: its message and, when the error says what to try, its advice;
 * a thrown string as it is; for anything else (undefined, an object) a sentence, never "undefined".
 */
export function errorText(e: unknown): string {
  if (typeof e === 'string' && e.trim()) return e;
  if (typeof e === 'object' && e !== null) {
    const { message, advice, name } = e as { message?: unknown; advice?: unknown; name?: unknown };
    const text = typeof message === 'string' && message.trim() ? message : typeof name === 'string' ? name : '';
    if (text) return typeof advice === 'string' && advice.trim() ? `${text} ${advice}` : text;
  }
  return 'Something went wrong, and it did not say what.';
}
