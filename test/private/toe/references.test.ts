import { DeclaredNames, forEachExpressionInText } from '../../../src/private/toe/references';
import { seededRandom } from '../../helpers/seeded-random';

/** The pattern the scanner stands for: the inside of `{{ ... }}` without braces, trimmed. */
const EXPRESSION = /\{\{\s*([^{}]*?)\s*\}\}/g;
const withPattern = (text: string) => [...text.matchAll(EXPRESSION)].map((match) => match[1]);

/** What the scanner visits in `text`, in order. */
function expressionsInText(text: string): string[] {
  const found: string[] = [];
  forEachExpressionInText(text, (expression, into: string[]) => into.push(expression), found, '');
  return found;
}

describe('forEachExpressionInText', () => {
  test.each([
    ['echo "{{ Greeting }} from step 1"', ['Greeting']],
    ['{{build.Step0.outputs.stdout}}{{ x }}', ['build.Step0.outputs.stdout', 'x']],
    ['{{}} and {{ }}}', ['', '']],
    ['{{{ imagebuilder:parentImage }}}', ['imagebuilder:parentImage']],
    ['{{ a {{ b }}', ['b']],
    ['{{ a } }}', []],
    ['{{ unclosed', []],
    ['{{\u00a0spaced\n\t}}', ['spaced']],
    ['no expressions', []],
  ])('%j holds %j', (text, expected) => {
    expect(expressionsInText(text)).toEqual(expected);
    expect(withPattern(text)).toEqual(expected);
  });

  test('finds what the pattern finds in random text of braces, names and white space', () => {
    const pieces = ['{', '}', '{{', '}}', ' ', '\u00a0', '\n', 'a', 'b.c', '[0]', ':'];
    const next = seededRandom(7);
    let withExpressions = 0;
    for (let i = 0; i < 5000; i++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 20) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      const found = expressionsInText(text);
      expect({ text, found }).toEqual({ text, found: withPattern(text) });
      withExpressions += found.length > 0 ? 1 : 0;
    }
    expect(withExpressions).toBeGreaterThan(500); // the random texts do exercise matches
  });
});

describe('DeclaredNames', () => {
  test('answers as a Set of the same names, for names and expressions of every length', () => {
    const next = seededRandom(11);
    const word = (length: number) => Array.from({ length }, () => 'ab.'[Math.floor(next() * 3)]).join('');
    let hits = 0;
    for (let round = 0; round < 200; round++) {
      const declared = new DeclaredNames();
      const set = new Set<string>();
      for (let n = Math.floor(next() * 4); n > 0; n--) {
        const name = word(Math.floor(next() * 6));
        expect(declared.has(name)).toBe(set.has(name));
        declared.add(name);
        set.add(name);
      }
      for (let q = 0; q < 50; q++) {
        const expression = word(Math.floor(next() * 8));
        expect({ expression, has: declared.has(expression) }).toEqual({ expression, has: set.has(expression) });
        hits += set.has(expression) ? 1 : 0;
      }
    }
    expect(hits).toBeGreaterThan(100); // the random queries do find names
  });
});
