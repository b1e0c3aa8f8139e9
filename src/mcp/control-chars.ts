/**
 * Visible escapes for control characters in text meant for people and terminals. A value from the
 * database may hold ESC sequences (colours, cursor moves, OSC 52 clipboard writes), BEL or C1
 * controls (U+0080–U+009F, which some terminals obey like ESC sequences); printed raw they act on
 * the reader's terminal instead of being read. Text renderings therefore show them as `\xNN` (C0
 * and DEL) or `\u00NN` (C1); exact values stay in structuredContent and JSON.
 */

/** Every C0 control, DEL and every C1 control (matching them is the point here). */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROLS_G = /[\u0000-\u001f\u007f-\u009f]/g;
const C1_AND_DEL_G = /[\u007f-\u009f]/g;

/** The visible escape of one control character: `\x1b` for C0 and DEL, `\u009b` for C1. */
export function controlEscape(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x80
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** True when `text` holds a C0, DEL or C1 control character. */
export function hasControls(text: string): boolean {
  return CONTROLS.test(text);
}

/**
 * `text` with every C0, DEL and C1 control character replaced by its visible escape, except the
 * characters in `keep` (by default tab and line feed, which lay out text rather than command the
 * terminal).
 */
export function escapeControls(text: string, keep = '\t\n'): string {
  if (!CONTROLS.test(text)) return text;
  return text.replace(CONTROLS_G, (c) => (keep.includes(c) ? c : controlEscape(c)));
}

/**
 * JSON text with DEL and C1 controls written as `\u007f`…`\u009f` escapes: still the same JSON
 * value (JSON.stringify already escapes C0), but no raw C1 byte reaches a terminal.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(C1_AND_DEL_G, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
