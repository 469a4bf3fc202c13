/**
 * Patterns the grammar uses for string `format`s that arrive without a `pattern` (e.g. zod's `z.url()`
 * or the `z.date()` branch of a date union). Each is a subset of what zod accepts for that format, so a
 * decoded value always validates; the subsets favour the common spelling (https URLs, `Z`/offset times).
 */

const DATE =
  '(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))';
const TIME = '(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d{1,9})?';
const OFFSET = '(?:Z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)';
const LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
/**
 * The host's last label starts with a letter: WHATWG URL parsing (zod's `z.url()`) reads a host whose
 * last label is a number (`a.9`, `a.0x1`) as IPv4 and rejects it unless it is a valid address.
 */
const LAST_LABEL = '[a-z](?:[a-z0-9-]*[a-z0-9])?';
const URL_CHARS = "[A-Za-z0-9._~!$&'()*+,;=:@%-]";

const FORMAT_PATTERNS: Readonly<Record<string, string>> = {
  date: `^${DATE}$`,
  'date-time': `^${DATE}T${TIME}${OFFSET}$`,
  time: `^${TIME}$`,
  email: '^[A-Za-z0-9_+-]+(?:\\.[A-Za-z0-9_+-]+)*@(?:[A-Za-z0-9][A-Za-z0-9-]*\\.)+[A-Za-z]{2,}$',
  uri: `^https?://(?:${LABEL}\\.)*${LAST_LABEL}(?::[1-9]\\d{0,3})?(?:/${URL_CHARS}*)*(?:\\?(?:${URL_CHARS}|/|\\?)*)?$`,
  uuid: '^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$',
};

/** The built-in pattern of a string format, or undefined when the format has none. */
export function formatPattern(format: string): string | undefined {
  return Object.hasOwn(FORMAT_PATTERNS, format) ? FORMAT_PATTERNS[format] : undefined;
}
