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

const COLON = 58;
const SPACE = 32;
const DASH = 45;
const HASH = 35;
const PIPE = 124;
const OPEN_BRACKET = 91;
const OPEN_BRACE = 123;
const SINGLE_QUOTE = 39;
const DOUBLE_QUOTE = 34;

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
export const PLAIN_SCALAR_ON_ONE_LINE = /^(?=[^-?:,[\]{}#&*!|>'"%@`\s]|-\S)[^:#]*(?:(?::(?! )|(?<! )#)[^:#]*)*(?<!:)$/;
/**
 * The ASCII characters that start a plain scalar whatever follows them (not `-`, which must be
 * followed by a non-space): by character code, taken from the pattern.
 */
const PLAIN_SCALAR_FIRST = Array.from({ length: 128 }, (_, code) =>
  code !== DASH && PLAIN_SCALAR_ON_ONE_LINE.test(`${String.fromCharCode(code)}x`));

/**
 * Whether `value` matches `PLAIN_SCALAR_ON_ONE_LINE`. Most values start with a letter and hold no
 * `:` or `#`: the first character settles those, with two `indexOf` calls that cost less than the
 * pattern (the tests compare the two).
 */
export function isPlainScalarOnOneLine(value: string): boolean {
  const first = value.charCodeAt(0);
  if (first < 128 && PLAIN_SCALAR_FIRST[first] && value.indexOf(':') < 0 && value.indexOf('#') < 0) {
    return true;
  }
  return PLAIN_SCALAR_ON_ONE_LINE.test(value);
}

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

/** Whether the library reads a simple key as this string too (not `true`, `null` and the like), and takes it. */
function isStringKey(key: string): boolean {
  return key.length <= MAX_KEY_LENGTH && key !== '__proto__' && (!mayBeNonString(key.charCodeAt(0)) || typeof resolvePlainScalar(key) === 'string');
}

/**
 * The last key read that starts with each two ASCII characters, by `keySlot`. Documents repeat a
 * few keys thousands of times: finding the key string again spares scanning, cutting and checking
 * a new one, and a key used before is a faster property name. Each use compares the key with the
 * text, so all readers share the table.
 */
const KEYS_READ: Array<string | undefined> = new Array(128 * 128).fill(undefined);

/** Where `KEYS_READ` keeps a key that starts with these characters; 0, which no key uses, for others. */
function keySlot(first: number, second: number): number {
  return first < 128 && second < 128 ? first * 128 + second : 0;
}

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
    const text = this.text;
    let i = from;
    while (text.charCodeAt(i) === SPACE) {
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
   * The simple key that starts at `at`, on a line that ends at `lineEnd`, or `undefined` when no
   * such key starts there: key characters, then a `:` that ends the line or is followed by a space.
   */
  private keyAt(at: number, lineEnd: number): string | undefined {
    const text = this.text;
    const slot = keySlot(text.charCodeAt(at), text.charCodeAt(at + 1));
    const known = KEYS_READ[slot];
    if (known !== undefined && this.isAt(known, at) && this.isKeyEnd(at + known.length, lineEnd)) {
      return known;
    }
    const colon = this.keyColon(at, lineEnd);
    if (colon < 0) {
      return undefined;
    }
    const key = text.slice(at, colon);
    if (!isStringKey(key)) {
      throw new OutsideSubset();
    }
    KEYS_READ[slot] = key;
    return key;
  }

  /** Where the `:` of a simple key that starts at `at` is, or -1 when no such key starts there. */
  private keyColon(at: number, lineEnd: number): number {
    const text = this.text;
    if (!isKeyStart(text.charCodeAt(at))) {
      return -1;
    }
    let i = at + 1;
    while (isKeyChar(text.charCodeAt(i))) {
      i++;
    }
    return this.isKeyEnd(i, lineEnd) ? i : -1;
  }

  /** Whether a key ends at `at`: a `:` there ends the line or is followed by a space. */
  private isKeyEnd(at: number, lineEnd: number): boolean {
    return this.text.charCodeAt(at) === COLON && (at + 1 === lineEnd || this.text.charCodeAt(at + 1) === SPACE);
  }

  /** Whether `word` is in the text at `at`, as `startsWith` says: comparing the few characters of a key here is faster. */
  private isAt(word: string, at: number): boolean {
    const text = this.text;
    for (let i = 0; i < word.length; i++) {
      if (word.charCodeAt(i) !== text.charCodeAt(at + i)) {
        return false;
      }
    }
    return true;
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
      const key = this.keyAt(keyStart, lineEnd);
      if (key === undefined) {
        throw new OutsideSubset();
      }
      this.consumeLine();
      this.mappingEntry(map, key, keyStart, lineEnd, indent);
      entries++;
    }
    // A repeated key overwrote an entry: one count per mapping is cheaper than a lookup per key.
    if (Object.keys(map).length !== entries) {
      throw new OutsideSubset();
    }
    return map;
  }

  /**
   * The entry of `key`, which starts at `keyStart`, in `column`, on a line (consumed already) that
   * ends at `lineEnd`; the value may continue on the next lines.
   */
  private mappingEntry(map: Record<string, unknown>, key: string, keyStart: number, lineEnd: number, column: number): void {
    const valueStart = this.skipSpaces(keyStart + key.length + 1);
    map[key] = valueStart === lineEnd ? this.valueBelow(column, true) : this.valueOnLine(valueStart, lineEnd, column);
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
    const key = this.keyAt(itemStart, lineEnd);
    if (key !== undefined) {
      const column = itemStart - lineStart;
      const map: Record<string, unknown> = {};
      this.mappingEntry(map, key, itemStart, lineEnd, column);
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
    if (!isPlainScalarOnOneLine(value)) {
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
