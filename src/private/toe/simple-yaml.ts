import * as yaml from 'yaml';

/**
 * A fast reader for the plain block YAML that component documents are written in: mappings with
 * simple keys, sequences, single-line scalars (plain, 'single' and "double" quoted), `|` and `|-`
 * literal blocks, comments on their own lines, and `[]` / `{}`.
 *
 * The `yaml` library spends most of its time building a concrete syntax tree with every token and
 * offset, which validation needs only to name the line of a finding. This reader builds the plain
 * value directly. It gives up on anything it does not fully understand (flow collections, anchors,
 * tags, folded or indented block scalars, multi-line flow scalars, trailing comments, tabs, CRLF,
 * duplicate keys, unusual characters, and any malformed line): the caller then parses with the
 * library, which also reports the syntax errors. When it returns a value, that value equals what
 * `yaml.parseDocument(text).toJS()` returns, and the library would report no error.
 *
 * @returns the document as plain values, or `undefined` when the text is outside this subset
 */
export function parseSimpleYaml(text: string): unknown {
  if (UNSUPPORTED_CHARACTERS.test(text)) {
    return undefined;
  }
  try {
    return new SimpleYamlReader(text).document();
  } catch (error) {
    if (error instanceof OutsideSubset) {
      return undefined;
    }
    throw error;
  }
}

/** Thrown to give up on the text; never leaves this module. */
class OutsideSubset extends Error {}

/**
 * Tabs (YAML allows them in some places and not in others), carriage returns, other control
 * characters, line and byte-order marks, and surrogates (astral characters).
 */
// eslint-disable-next-line no-control-regex
const UNSUPPORTED_CHARACTERS = /[\t\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]/;
/** The library accepts implicit keys of up to 1,024 characters; stay well below. */
const MAX_KEY_LENGTH = 1000;
/**
 * A plain scalar this reader takes as it is: it starts with no indicator character, or with `-`
 * followed by a non-space, and holds no `: `, ` #` (a comment) or final `:`. (Runs of other
 * characters are matched in one go, which spares a backtracking entry per character.)
 */
const PLAIN_SCALAR_ON_ONE_LINE = /^(?=[^-?:,[\]{}#&*!|>'"%@`\s]|-\S)[^:#]*(?:(?::(?! )|(?<! )#)[^:#]*)*(?<!:)$/;
const DOUBLE_QUOTED_ESCAPES = new Map([['\\', '\\'], ['"', '"'], ['/', '/'], ['n', '\n'], ['t', '\t'], ['r', '\r']]);

/**
 * How the library types a plain scalar: the default schema's tags are tried in order and the
 * string tag is the fallback (as the `yaml` composer does). Most scalars are strings, so one
 * combined test of all the tags comes first.
 */
const DEFAULT_DOCUMENT = new yaml.Document();
const PLAIN_SCALAR_TAGS = DEFAULT_DOCUMENT.schema.tags
  .filter((tag): tag is yaml.ScalarTag => tag.default === true && tag.test !== undefined);
const ANY_PLAIN_SCALAR_TAG = new RegExp(PLAIN_SCALAR_TAGS.map((tag) => `(?:${tag.test!.source})`).join('|'));

/**
 * The first characters of the plain scalars that the default schema reads as something other than
 * a string (`~`, null, true/false, numbers, `.inf`, `.nan`): any other start is a string, with no
 * need to try the tags. The tests compare the result with the library's.
 */
const NON_STRING_START = /^[~nNtTfF0-9+\-.]/;
/** `NON_STRING_START` by character code, for the ASCII characters (no other character matches it). */
const NON_STRING_FIRST = Array.from({ length: 128 }, (_, code) => NON_STRING_START.test(String.fromCharCode(code)));

/** Whether a plain scalar that starts with this character may be something other than a string. */
function mayBeNonString(firstCode: number): boolean {
  return firstCode < 128 && NON_STRING_FIRST[firstCode];
}

function resolvePlainScalar(source: string): unknown {
  if (source.length > 0 && !mayBeNonString(source.charCodeAt(0))) {
    return source;
  }
  const tag = ANY_PLAIN_SCALAR_TAG.test(source) ? PLAIN_SCALAR_TAGS.find((t) => t.test!.test(source)) : undefined;
  if (!tag) {
    return source;
  }
  const resolved = tag.resolve(source, () => { throw new OutsideSubset(); }, DEFAULT_DOCUMENT.options);
  return yaml.isScalar(resolved) ? resolved.value : resolved;
}

const COLON = 58;
const SPACE = 32;
const DASH = 45;
const HASH = 35;
const PIPE = 124;
const OPEN_BRACKET = 91;
const OPEN_BRACE = 123;
const SINGLE_QUOTE = 39;
const DOUBLE_QUOTE = 34;

/** Key characters: `[A-Za-z0-9_./-]`, the first not a digit, `.`, `/` or `-`. */
function isKeyStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}
function isKeyChar(code: number): boolean {
  return isKeyStart(code) || (code >= 45 && code <= 57); // - . / and the digits
}

/**
 * Reads the text top to bottom in one pass; each method consumes what it reads. Positions are
 * offsets into the whole text (reading one flat string is much faster than splitting it into
 * line strings); columns are counted from the start of their line.
 */
class SimpleYamlReader {
  /** Where the next unread line starts. */
  private position = 0;
  /** The next line that is not blank or a comment, as found by `peek()` for `peekedAt`. */
  private peekedAt = -1;
  private lineStart = 0;
  private contentStart = 0;
  private lineEnd = 0;
  private indent = -1;
  /** Keys seen so far that the library reads as strings too (not `true`, `null` and the like). */
  private readonly stringKeys = new Set<string>();

  public constructor(private readonly text: string) {}

  /** The whole text: one mapping at column 0. */
  public document(): Record<string, unknown> {
    if (this.peek() !== 0 || this.isSequenceItem()) {
      throw new OutsideSubset();
    }
    return this.mapping(0, {});
  }

  /**
   * Finds the next line that is not blank or a comment, without consuming it, and returns its
   * indentation, or -1 at the end of the text.
   */
  private peek(): number {
    if (this.peekedAt === this.position) {
      return this.indent;
    }
    const text = this.text;
    this.peekedAt = this.position;
    this.indent = -1;
    for (let start = this.position; start < text.length;) {
      const content = this.skipSpaces(start);
      const newline = text.indexOf('\n', content);
      const end = newline < 0 ? text.length : newline;
      if (content < end && text.charCodeAt(content) !== HASH) {
        this.lineStart = start;
        this.contentStart = content;
        this.lineEnd = end;
        this.indent = content - start;
        break;
      }
      start = end + 1;
    }
    return this.indent;
  }

  /** Consumes the line `peek()` found. */
  private consumeLine(): void {
    this.position = this.lineEnd + 1;
  }

  /** Where the spaces that start at `from` end (a newline or the end of the text stops them too). */
  private skipSpaces(from: number): number {
    let i = from;
    while (this.text.charCodeAt(i) === SPACE) {
      i++;
    }
    return i;
  }

  /** Whether the line `peek()` found is a sequence item: `-` alone or followed by a space. */
  private isSequenceItem(): boolean {
    const content = this.contentStart;
    return this.text.charCodeAt(content) === DASH && (content + 1 === this.lineEnd || this.text.charCodeAt(content + 1) === SPACE);
  }

  /**
   * Where the `:` of a simple key that starts at `at` is, or -1 when no such key starts there: the
   * `:` must end the line or be followed by a space.
   */
  private keyColon(at: number, lineEnd: number): number {
    if (!isKeyStart(this.text.charCodeAt(at))) {
      return -1;
    }
    let i = at + 1;
    while (isKeyChar(this.text.charCodeAt(i))) {
      i++;
    }
    return this.text.charCodeAt(i) === COLON && (i + 1 === lineEnd || this.text.charCodeAt(i + 1) === SPACE) ? i : -1;
  }

  /** Entries at `indent` until a line indented less; `map` may hold `entriesRead` entries read already. */
  private mapping(indent: number, map: Record<string, unknown>, entriesRead = 0): Record<string, unknown> {
    let entries = entriesRead;
    for (let lineIndent = this.peek(); lineIndent >= indent; lineIndent = this.peek()) {
      if (lineIndent > indent) {
        throw new OutsideSubset(); // a continuation line or uneven indentation
      }
      const keyStart = this.contentStart;
      const lineEnd = this.lineEnd;
      this.consumeLine();
      this.mappingEntry(map, keyStart, lineEnd, indent);
      entries++;
    }
    // A repeated key overwrote an entry: one count per mapping is cheaper than a lookup per key.
    if (Object.keys(map).length !== entries) {
      throw new OutsideSubset();
    }
    return map;
  }

  /**
   * The `key: value` whose key starts at `keyStart`, in `column`, on a line (consumed already) that
   * ends at `lineEnd`; the value may continue on the next lines.
   */
  private mappingEntry(map: Record<string, unknown>, keyStart: number, lineEnd: number, column: number): void {
    const colon = this.keyColon(keyStart, lineEnd);
    const key = colon < 0 ? '' : this.text.slice(keyStart, colon);
    if (colon < 0 || !this.isStringKey(key)) {
      throw new OutsideSubset();
    }
    const valueStart = this.skipSpaces(colon + 1);
    map[key] = valueStart === lineEnd ? this.valueBelow(column, true) : this.valueOnLine(valueStart, lineEnd, column);
  }

  private isStringKey(key: string): boolean {
    if (key.length > MAX_KEY_LENGTH || key === '__proto__') {
      return false;
    }
    if (!mayBeNonString(key.charCodeAt(0)) || this.stringKeys.has(key)) {
      return true;
    }
    if (typeof resolvePlainScalar(key) !== 'string') {
      return false;
    }
    this.stringKeys.add(key);
    return true;
  }

  /** Items at `indent`, until a line indented less or one that is not an item. */
  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (let lineIndent = this.peek(); lineIndent >= indent; lineIndent = this.peek()) {
      if (lineIndent > indent) {
        throw new OutsideSubset();
      }
      if (!this.isSequenceItem()) {
        break; // the next key of the mapping that holds this sequence
      }
      items.push(this.sequenceItem(indent));
    }
    return items;
  }

  /** The item after the `- ` that `peek()` found: a scalar, a mapping that starts on its line, or a value below. */
  private sequenceItem(dashColumn: number): unknown {
    const lineStart = this.lineStart;
    const lineEnd = this.lineEnd;
    const itemStart = this.skipSpaces(this.contentStart + 1);
    this.consumeLine();
    if (itemStart === lineEnd) {
      return this.valueBelow(dashColumn, false);
    }
    if (this.keyColon(itemStart, lineEnd) >= 0) {
      const column = itemStart - lineStart;
      const map: Record<string, unknown> = {};
      this.mappingEntry(map, itemStart, lineEnd, column);
      return this.mapping(column, map, 1);
    }
    return this.valueOnLine(itemStart, lineEnd, dashColumn);
  }

  /**
   * The value of a key or item with nothing after it on its line: a block indented more, a
   * sequence at the key's own indentation, or null.
   */
  private valueBelow(ownerColumn: number, sequenceMayAlign: boolean): unknown {
    const indent = this.peek();
    if (indent > ownerColumn) {
      return this.isSequenceItem() ? this.sequence(indent) : this.mapping(indent, {});
    }
    if (sequenceMayAlign && indent === ownerColumn && this.isSequenceItem()) {
      return this.sequence(indent);
    }
    return null;
  }

  /**
   * A value from `start` (not a space) to the end of its key's or dash's line. Only spaces end
   * it: YAML keeps other white space, such as a no-break space, in the value.
   */
  private valueOnLine(start: number, lineEnd: number, ownerColumn: number): unknown {
    let end = lineEnd;
    while (this.text.charCodeAt(end - 1) === SPACE) {
      end--;
    }
    const value = this.text.slice(start, end);
    switch (value.charCodeAt(0)) {
      case PIPE:
        if (value === '|' || value === '|-') {
          return this.literalBlock(ownerColumn, value === '|');
        }
        break;
      case OPEN_BRACKET:
        if (value === '[]') {
          return [];
        }
        break;
      case OPEN_BRACE:
        if (value === '{}') {
          return {};
        }
        break;
      case SINGLE_QUOTE:
        return singleQuoted(value);
      case DOUBLE_QUOTE:
        return doubleQuoted(value);
    }
    if (!PLAIN_SCALAR_ON_ONE_LINE.test(value)) {
      throw new OutsideSubset();
    }
    return resolvePlainScalar(value);
  }

  /**
   * The lines of a `|` (keep one final newline) or `|-` (keep none) block, indented as its first
   * line, which must be indented more than the block's owner.
   */
  private literalBlock(ownerColumn: number, keepFinalNewline: boolean): string {
    const text = this.text;
    let start = this.position;
    const indent = this.skipSpaces(start) - start;
    if (start >= text.length || this.skipSpaces(start) === lineEndAt(text, start) || indent <= ownerColumn) {
      throw new OutsideSubset(); // empty, or indentation this reader does not guess
    }
    const content: string[] = [];
    while (start <= text.length) {
      const end = lineEndAt(text, start);
      const lineIndent = this.skipSpaces(start) - start;
      if (start + lineIndent === end) {
        if (lineIndent > indent) {
          throw new OutsideSubset(); // spaces past the indentation are content; leave them to the library
        }
        content.push('');
      } else if (lineIndent < indent) {
        break;
      } else {
        content.push(text.slice(start + indent, end));
      }
      if (end === text.length && end > start) {
        throw new OutsideSubset(); // the text ends inside the block without a newline: leave it to the library
      }
      start = end + 1;
    }
    this.position = start;
    while (content[content.length - 1] === '') {
      content.pop();
    }
    return content.join('\n') + (keepFinalNewline ? '\n' : '');
  }
}

/** Where the line that starts at `start` ends: its newline or the end of the text. */
function lineEndAt(text: string, start: number): number {
  const newline = text.indexOf('\n', start);
  return newline < 0 ? text.length : newline;
}

/** `'...'` on one line, `''` standing for a quote, and nothing after it. */
function singleQuoted(value: string): string {
  let text = '';
  let start = 1;
  for (;;) {
    const quote = value.indexOf('\'', start);
    if (quote < 0) {
      throw new OutsideSubset(); // continues on the next line
    }
    text += value.slice(start, quote);
    if (value[quote + 1] !== '\'') {
      return endOfQuoted(value, quote, text);
    }
    text += '\'';
    start = quote + 2;
  }
}

/** `"..."` on one line with the common escapes, and nothing after it. */
function doubleQuoted(value: string): string {
  let text = '';
  for (let i = 1; i < value.length; i++) {
    const char = value[i];
    if (char === '"') {
      return endOfQuoted(value, i, text);
    }
    if (char === '\\') {
      const escaped = DOUBLE_QUOTED_ESCAPES.get(value[++i]);
      if (escaped === undefined) {
        throw new OutsideSubset();
      }
      text += escaped;
    } else {
      text += char;
    }
  }
  throw new OutsideSubset(); // continues on the next line
}

function endOfQuoted(value: string, closingQuote: number, text: string): string {
  if (closingQuote !== value.length - 1) {
    throw new OutsideSubset(); // something after the closing quote
  }
  return text;
}
