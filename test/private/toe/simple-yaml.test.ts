import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import * as yaml from 'yaml';
import {
  ComponentDocument, ComponentPhaseName, ComponentStep, StepCondition, StepLoop, StepOnFailure,
} from '../../../src';
import { isPlainScalarOnOneLine, parseSimpleYaml, PLAIN_SCALAR_ON_ONE_LINE } from '../../../src/private/toe/simple-yaml';
import { seededRandom } from '../../helpers/seeded-random';

/** Real AWSTOE documents published by AWS (read-only, shared between projects). */
const CORPUS_DIR = path.join(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'awstoe');
const corpus = fs.readdirSync(CORPUS_DIR)
  .filter((file) => /\.ya?ml$/.test(file))
  .map((file) => ({ file, text: fs.readFileSync(path.join(CORPUS_DIR, file), 'utf-8') }));

/** What the validator would get from the `yaml` library, or `undefined` when it reports an error. */
function libraryValue(text: string): unknown {
  const document = yaml.parseDocument(text);
  return document.errors.length > 0 ? undefined : document.toJS();
}

/**
 * The property the validator relies on: the fast reader either gives up, or returns exactly the
 * library's value for text the library reads without error.
 */
function expectSameAsLibraryOrGivesUp(text: string): 'fast' | 'library' {
  const fast = parseSimpleYaml(text);
  if (fast === undefined) {
    return 'library';
  }
  const expected = libraryValue(text);
  if (expected === undefined || !isDeepStrictEqual(fast, expected)) {
    // Show the text in the failure message: it is the counterexample.
    expect({ text, fast }).toStrictEqual({ text, fast: expected });
  }
  return 'fast';
}

describe('corpus documents', () => {
  test.each(corpus)('$file reads as the yaml library reads it', ({ text }) => {
    const path_ = expectSameAsLibraryOrGivesUp(text);
    // One sample has a stray quote after a quoted value, which the library reports: that one is left to it.
    expect(path_).toBe(libraryValue(text) === undefined ? 'library' : 'fast');
  });
});

describe('generated documents', () => {
  function generated(steps: number): string {
    const document = new ComponentDocument({ name: 'generated', description: 'steps: "quoted", #hash, {{ braces }}' });
    document.addParameter('Greeting', { defaultValue: 'hello' });
    document.addParameter('Count', { defaultValue: '3', description: 'true' });
    document.addConstant('Folder', '/opt/app # not a comment');
    for (let i = 0; i < steps; i++) {
      document.addSteps(ComponentPhaseName.BUILD, ComponentStep.executeBash(`Step${i}`, {
        commands: [`echo "{{ Greeting }} from step ${i}"`, i > 0 ? `echo "{{ build.Step${i - 1}.outputs.stdout }}"` : 'true'],
      }));
    }
    return document.toYaml();
  }

  test('a 1,000-step document takes the fast path and reads the same', () => {
    expect(expectSameAsLibraryOrGivesUp(generated(1000))).toBe('fast');
  });

  test('every kind of step reads the same', () => {
    expect(expectSameAsLibraryOrGivesUp(everyKindOfStep().toYaml())).toBe('fast');
  });

  test('a document with CRLF line ends is left to the library', () => {
    expect(expectSameAsLibraryOrGivesUp(everyKindOfStep().toYaml().replace(/\n/g, '\r\n'))).toBe('library');
  });

  function everyKindOfStep(): ComponentDocument {
    const document = new ComponentDocument({ name: 'kinds' });
    document.addSteps(ComponentPhaseName.BUILD,
      ComponentStep.executeBash('Bash', {
        commands: ['set -e', 'if [ "$A" = 1 ]; then\n  echo one\nfi', 'echo \'single\' "double" \\ back', 'x: y', '- dash', '# hash', ''],
        onFailure: StepOnFailure.CONTINUE,
        maxAttempts: 3,
        loop: StepLoop.forEach(['a', 'b', 'true', '1.0', 'null', '~', '0x1F', '-', ':']),
      }),
      ComponentStep.executePowerShell('Ps', { commands: ['Write-Host "x"', 'trailing newline\n', 'escaped\r\n'], executionPolicy: 'Bypass' }),
      ComponentStep.executeBinary('Bin', { path: 'C:\\Program Files\\x.exe', arguments: ['--flag', '-x', '{{ loop.value }}'] }),
      ComponentStep.s3Download('Get', { downloads: [{ source: 's3://bucket/key/*', destination: '/tmp/', overwrite: false }] }),
      ComponentStep.webDownload('Web', { downloads: [{ source: 'https://example.com/a?b=c#d', destination: '/tmp/a', checksum: '00ff', algorithm: 'SHA256' }] }),
      ComponentStep.createFile('File', { path: '/etc/motd', content: 'line one\n  indented\n\nlast\n', overwrite: true }),
      ComponentStep.reboot('Reboot'),
      ComponentStep.assert('Check', StepCondition.and(StepCondition.stringEquals('{{ build.Bash.outputs.stdout }}', 'ok'), StepCondition.numberEquals('1', 1.5))),
      ComponentStep.custom('Custom', 'SetRegistry', [{ path: 'HKLM:\\Software', name: 'n', value: 1, type: 'DWORD' }], { loop: StepLoop.range(1, 10, 2, 'named') }),
    );
    return document;
  }
});

describe('scalars', () => {
  const plain = [
    'word', 'two words', '1', '-5', '+5', '0700', '1.0', '1.50', '.5', '1e3', '-2.5E-3', '0o17', '0x1F', '0xZZ',
    '.inf', '-.Inf', '.NaN', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'yes', 'on',
    '1_000', '2024-01-01', '12:30', 'a:b', 'http://x/#y', 'echo {{ x }}', 'a, b', 'a]', '-x', '--flag', '...', 'a #b',
    'a: b', 'a:', '@at', '`tick', '%pc', '&anchor', '*alias', '!tag', '? q', '- d', '[a, b]', '{a: 1}', '>', '|', '#',
    '-: x', '-:', '-#x', '-a: b', 'a#b', 'a :', 'a:: b', ':x', 'x:y:z', 'a  #b',
    // White space that YAML keeps: only spaces and tabs separate.
    'no-break\u00a0', 'ideographic\u3000', 'mixed\u00a0 ', 'en\u2002quad\u2002', 'a\u00a0#b', '\u00a0lead',
  ];
  const quoted = [
    '\'single\'', '\'it\'\'s\'', '\'\'', '\'a # b: c\'', '"double"', '"a \\" b"', '"tab\\t new\\n back\\\\ slash\\/"',
    '"\\x41"', '"\\u00e9"', '"\\e"', '"unterminated', '\'unterminated', '\'a\' b', '"a" # c', '\'a\'\'', '"a"b',
  ];

  test.each([...plain, ...quoted])('key: %s', (value) => {
    expectSameAsLibraryOrGivesUp(`key: ${value}\nother: x\n`);
    expectSameAsLibraryOrGivesUp(`list:\n  - ${value}\n  - x\n`);
  });

  test.each(['word', 'two words', '1', '1.0', '0x1F', '~', 'null', 'True', '.inf', '\'it\'\'s\'', '"a \\" b"', '-x', 'a:b'])(
    '%s takes the fast path', (value) => {
      expect(expectSameAsLibraryOrGivesUp(`key: ${value}\n`)).toBe('fast');
    });

  test.each(['true', 'null', 'NULL', '1', '0x1F', '.inf', '__proto__', 'constructor'])('key %s', (key) => {
    expectSameAsLibraryOrGivesUp(`${key}: value\nother: x\n`);
  });
});

describe('structure', () => {
  const texts: Record<string, string> = {
    'nested maps and lists': 'a:\n  b:\n    - c\n    - d: e\n      f: g\n    -\n      h: i\n    -\n      - j\n',
    'a list in a list on one line': 'a:\n  - - b\n    - c\n',
    'a list at its key\'s indentation': 'a:\n- b\n- c: d\n  e: f\nz: 1\n',
    'a compact mapping with a list at its keys\' indentation': 'a:\n  - b:\n    - c\n    d: e\n',
    'empty values': 'a:\nb: []\nc: {}\nd:\n  -\n  - x\ne:',
    'comments and blank lines': '# top\n\na: 1 # trailing\n  # indented\nb:\n  # before\n  - c\n\n\n# end',
    'odd indentation': 'a:\n   b: 1\n   c:\n         - d\n',
    'uneven indentation': 'a:\n  b: 1\n c: 2\n',
    'a continuation line': 'a: one\n  two\nb: 3\n',
    'a continuation in a list': 'a:\n  - one\n    two\n',
    'a duplicate key': 'a: 1\na: 2\n',
    'a duplicate key in a list item': 'l:\n  - a: 1\n    b: 2\n    a: 3\n',
    'a duplicate key in a nested map': 'a:\n  b:\n    c: 1\n    c:\n      - x\n',
    'tabs': 'a:\n\t- b\n',
    'a tab after a key': 'a:\tb\n',
    'CRLF line ends': 'a: 1\r\nb: 2\r\n',
    'a byte order mark': '\ufeffa: 1\n',
    'a document start': '---\na: 1\n',
    'a document end': 'a: 1\n...\n',
    'a directive': '%YAML 1.2\n---\na: 1\n',
    'an explicit key': '? a\n: 1\n',
    'a quoted key': '"a": 1\n',
    'a top-level list': '- a\n- b\n',
    'a top-level scalar': 'just text\n',
    'nothing': '',
    'only comments': '# nothing here\n',
    'a flow list': 'a: [b, c]\n',
    'a flow map': 'a: {b: c}\n',
    'an anchor and an alias': 'a: &x 1\nb: *x\n',
    'a merge key': 'a: &x\n  b: 1\nc:\n  <<: *x\n',
    'a tag': 'a: !!str 1\n',
    'a very long key': `${'k'.repeat(1100)}: 1\n`,
    'astral characters': 'a: 😀\n',
    'non-ASCII': 'a: café — ok\n',
  };
  test.each(Object.entries(texts))('%s', (_, text) => {
    expectSameAsLibraryOrGivesUp(text);
  });

  test('common structure takes the fast path', () => {
    for (const name of ['nested maps and lists', 'a list at its key\'s indentation', 'empty values', 'odd indentation', 'non-ASCII']) {
      expect([name, expectSameAsLibraryOrGivesUp(texts[name])]).toEqual([name, 'fast']);
    }
  });
});

describe('literal blocks', () => {
  const blocks: Record<string, string> = {
    'clip': 'a: |\n  one\n  two\nb: x\n',
    'strip': 'a: |-\n  one\n  two\nb: x\n',
    'keep': 'a: |+\n  one\n\nb: x\n',
    'folded': 'a: >\n  one\n  two\nb: x\n',
    'explicit indentation': 'a: |2\n   one\nb: x\n',
    'a comment on the header': 'a: | # c\n  one\nb: x\n',
    'more indented lines and blank lines': 'a: |\n  one\n    two\n\n  three\n\n\nb: x\n',
    'a blank line with more spaces than the indentation': 'a: |\n  one\n     \n  two\nb: x\n',
    'a blank line with fewer spaces': 'a: |\n  one\n \n  two\nb: x\n',
    'a leading blank line': 'a: |\n\n  one\nb: x\n',
    'content that looks like YAML': 'a: |\n  # not a comment\n  - not: an item\n  "q\' \\t\nb: x\n',
    'a tab in the content': 'a: |\n  one\ttwo\n  \tthree\nb: x\n',
    'a tab first': 'a: |\n  \tone\nb: x\n',
    'the end of the text with a newline': 'a: |\n  one\n',
    'the end of the text without a newline': 'a: |\n  one',
    'the end of the text after blank lines': 'a: |-\n  one\n\n\n',
    'in a list': 'a:\n  - |\n    one\n  - |-\n   two\n  - x\n',
    'in a list, indented one more than the dash': 'a:\n- |\n one\n- x\n',
    'in a compact mapping': 'a:\n  - b: |\n      one\n    c: x\n',
    'in a compact mapping, indented one more than the key': 'a:\n  - b: |\n     one\n    c: x\n',
    'not indented more than its key': 'a:\n  b: |\n  one\n',
    'empty': 'a: |\nb: x\n',
    'a less indented comment ends it': 'a: |\n    one\n  # c\nb: x\n',
  };
  test.each(Object.entries(blocks))('%s', (_, text) => {
    expectSameAsLibraryOrGivesUp(text);
  });

  test('the usual blocks take the fast path', () => {
    for (const name of ['clip', 'strip', 'more indented lines and blank lines', 'content that looks like YAML', 'in a list',
      'in a compact mapping', 'the end of the text with a newline']) {
      expect([name, expectSameAsLibraryOrGivesUp(blocks[name])]).toEqual([name, 'fast']);
    }
  });
});

describe('random documents', () => {
  const next = seededRandom(42);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
  const pieces = ['a', 'B', '1', '0', ' ', ':', '-', '#', '\'', '"', '\\', '{', '}', '[', ']', ',', '|', '>', '&', '*', '!',
    '%', '@', '`', '?', '.', 'e', 'x', 'o', '\n', '\t', 'é', 'true', 'null', '~', '{{ v }}', ': ', ' #', '\n  ', '\u00a0', '\u3000'];
  const keys = ['name', 'action', 'inputs', 'commands', 'a', 'b-c', 'd_e', 'f.g', 'true', '1', 'x y', '-k', ''];

  const words = ['echo', 'name', '{{ v }}', '/opt/x', 'a-b', 'C:\\x', '$HOME', 'x=1', '--flag', 'it\'s', '"q"', 'a\nb'];

  function scalar(): unknown {
    switch (Math.floor(next() * 7)) {
      case 0: return Math.floor(next() * 2000) - 1000;
      case 1: return next() * 100;
      case 2: return next() < 0.5;
      case 3: return null;
      case 4: return Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(pieces)).join('');
      default: return Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(words)).join(' ');
    }
  }
  function value(depth: number): unknown {
    const kind = depth > 3 ? 0 : Math.floor(next() * 3);
    if (kind === 1) {
      return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    }
    if (kind === 2) {
      return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [pick(keys), value(depth + 1)]));
    }
    return scalar();
  }

  test('stringified values read as the library reads them', () => {
    const paths = { fast: 0, library: 0 };
    for (let i = 0; i < 1000; i++) {
      const document = Object.fromEntries(Array.from({ length: 1 + Math.floor(next() * 4) }, () => [pick(keys), value(0)]));
      const options = pick([{}, { indent: 4 }, { indentSeq: false }, { lineWidth: 0 }, { lineWidth: 20, minContentWidth: 0 },
        { defaultStringType: 'QUOTE_SINGLE' as const }, { defaultStringType: 'QUOTE_DOUBLE' as const }, { blockQuote: 'literal' as const }]);
      paths[expectSameAsLibraryOrGivesUp(yaml.stringify(document, options))]++;
    }
    // Both paths are exercised, so the comparison above is not empty.
    expect(paths.fast).toBeGreaterThan(100);
    expect(paths.library).toBeGreaterThan(100);
  });

  test('corpus documents with a character changed read as the library reads them, or are left to it', () => {
    const paths = { fast: 0, library: 0 };
    for (let i = 0; i < 1500; i++) {
      const { text } = pick(corpus);
      const at = Math.floor(next() * text.length);
      const change = pick(['insert', 'delete', 'replace']);
      const mutated = text.slice(0, at) + (change === 'delete' ? '' : pick(pieces)) + text.slice(change === 'insert' ? at : at + 1);
      paths[expectSameAsLibraryOrGivesUp(mutated)]++;
    }
    expect(paths.fast).toBeGreaterThan(500);
    expect(paths.library).toBeGreaterThan(100);
  });
});

describe('plain scalars checked without the pattern', () => {
  test.each(['word', 'echo "{{ x }}" from 1', 'a:b', 'a: b', 'a #b', 'a#b', 'x:', '-x', '- x', '-', '--', ':x', '#x', '? x', 'a\u00a0b',
    '\u00a0x', '\u3000x', 'é', 'x\t', '\tx', '~', '1', ' x', ''])('%j as the pattern says', (value) => {
    expect(isPlainScalarOnOneLine(value)).toBe(PLAIN_SCALAR_ON_ONE_LINE.test(value));
  });

  test('random values as the pattern says', () => {
    const next = seededRandom(11);
    const pieces = ['a', 'Z', '1', ' ', ':', '#', '-', '?', '[', '{', '"', '\'', '|', '>', '!', '&', '*', '%', '@', '`', ',', '.',
      '\t', '\u00a0', '\u3000', 'é', '~', '/'];
    let plain = 0;
    for (let i = 0; i < 20000; i++) {
      const value = Array.from({ length: 1 + Math.floor(next() * 8) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      const expected = PLAIN_SCALAR_ON_ONE_LINE.test(value);
      expect({ value, plain: isPlainScalarOnOneLine(value) }).toEqual({ value, plain: expected });
      plain += expected ? 1 : 0;
    }
    expect(plain).toBeGreaterThan(2000); // both answers are exercised
  });
});

describe('keys', () => {
  // Keys that share their first two characters, start with one another, or hold the characters
  // that keys may hold: the reader finds keys it read before by their first two characters.
  const keys = ['na', 'nam', 'name', 'names', 'name-x', 'name.x', 'name/x', 'n_', 'a', 'ab', 'a.b', 'a-b', 'a_', 'A', 'Step0', 'Step1',
    'St', 'x'.repeat(20), 'x'.repeat(21), 'true', 'tr', 'nu', 'null', 'No', 'no', '_', '__proto__', 'inputs', 'in'];

  test('documents of keys that look alike read as the library reads them', () => {
    const next = seededRandom(5);
    const pick = () => keys[Math.floor(next() * keys.length)];
    const paths = { fast: 0, library: 0 };
    for (let i = 0; i < 1500; i++) {
      const lines: string[] = [];
      for (let j = 1 + Math.floor(next() * 6); j > 0; j--) {
        const separator = pick() === 'a' ? ' :' : ':'; // a space before the colon: no simple key
        lines.push(next() < 0.3 ? `${pick()}${separator}\n  ${pick()}: ${pick()}\n  ${pick()}: x` : `${pick()}${separator} ${pick()}`);
      }
      paths[expectSameAsLibraryOrGivesUp(`${lines.join('\n')}\n`)]++;
    }
    expect(paths.fast).toBeGreaterThan(200);
    expect(paths.library).toBeGreaterThan(200);
  });

  test('a key read in one document does not change how another one is read', () => {
    const texts = ['name: 1\nnames: 2\nnam: 3\n', 'names: 1\nname: 2\n', 'name:x\n', 'name : 1\n', 'nameX: 1\nname: 2\nname: 3\n',
      'list:\n  - name: a\n    names: b\n  - names: c\n    name: d\n', 'a: 1\na.b: 2\nab: 3\n', 'a.b: 1\na: 2\n'];
    for (const text of [...texts, ...texts.reverse()]) {
      expectSameAsLibraryOrGivesUp(text);
    }
    expect(parseSimpleYaml('name: 1\nnames: 2\n')).toEqual({ name: 1, names: 2 });
    expect(parseSimpleYaml('names: 1\nname: 2\n')).toEqual({ names: 1, name: 2 });
  });
});
