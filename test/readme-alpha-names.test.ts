/**
 * The README's table of names from `@aws-cdk/aws-imagebuilder-alpha` and their counterparts here
 * stays true: every class, enum and static member it names exists in its module, and every prop
 * or method name is declared there.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as alpha from '@aws-cdk/aws-imagebuilder-alpha';
import * as ours from '../src';

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const SECTION_TITLE = '## Coming from `@aws-cdk/aws-imagebuilder-alpha`';

/** The names a module declares, from its TypeScript declarations or sources. */
interface Module {
  readonly label: string;
  readonly exports: { [name: string]: any };
  readonly declarations: string;
}

const ALPHA: Module = {
  label: 'the alpha module',
  exports: alpha,
  declarations: readAll(path.dirname(require.resolve('@aws-cdk/aws-imagebuilder-alpha')), '.d.ts'),
};
const OURS: Module = { label: 'this library', exports: ours, declarations: readAll(path.join(__dirname, '..', 'src'), '.ts') };

function readAll(dir: string, suffix: string): string {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(suffix))
    .map((file) => fs.readFileSync(path.join(dir, file), 'utf8'))
    .join('\n');
}

/** The rows of the section's table, as the code spans of its two cells. */
function tableRows(): Array<{ alphaSpans: string[]; ourSpans: string[] }> {
  const start = README.indexOf(SECTION_TITLE);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = README.indexOf('\n## ', start + SECTION_TITLE.length);
  const spans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  const lines = README.slice(start, end).split('\n');
  const separator = lines.indexOf('| --- | --- |');
  expect(separator).toBeGreaterThan(0);
  const body = lines.slice(separator + 1);
  return body.slice(0, body.findIndex((line) => !line.startsWith('|')))
    .map((line) => {
      const [alphaCell, ourCell] = line.split(' | ');
      return { alphaSpans: spans(alphaCell), ourSpans: spans(ourCell) };
    });
}

/** What a code span names: exported classes and enums (with a member), props and methods. */
function namesIn(span: string): { exported: Array<[string, string | undefined]>; members: string[] } {
  const exported: Array<[string, string | undefined]> = [];
  for (const m of span.matchAll(/(?<![.\w])([A-Z]\w*)(?:\.(\w+))?/g)) {
    exported.push([m[1], m[2]]);
  }
  const members = [
    ...[...span.matchAll(/(?:^|[{,(]\s*)([a-z]\w*)\s*:/g)].map((m) => m[1]),
    ...[...span.matchAll(/\{\s*([a-z]\w*(?:\s*,\s*[a-z]\w*)*)\s*\}/g)].flatMap((m) => m[1].split(/\s*,\s*/)),
    ...[...span.matchAll(/^([a-z]\w*)(?:\(|$)/g)].map((m) => m[1]),
  ];
  return { exported, members };
}

/** The names of `spans` that `module` lacks. */
function missingIn(module: Module, spans: string[]): string[] {
  const missing: string[] = [];
  for (const span of spans) {
    const { exported, members } = namesIn(span);
    for (const [name, member] of exported) {
      if (!(name in module.exports)) {
        missing.push(`${name} (in \`${span}\`)`);
      } else if (member !== undefined && !(member in module.exports[name])) {
        missing.push(`${name}.${member} (in \`${span}\`)`);
      }
    }
    for (const member of members) {
      if (!new RegExp(`(readonly ${member}\\??:|\\b${member}\\()`).test(module.declarations)) {
        missing.push(`${member} (in \`${span}\`)`);
      }
    }
  }
  return missing;
}

describe('the README table of alpha names', () => {
  const rows = tableRows();

  test('has rows, each with names on both sides', () => {
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) {
      expect(row.alphaSpans.length).toBeGreaterThan(0);
      expect(row.ourSpans.length).toBeGreaterThan(0);
    }
  });

  test('every name of the left column exists in the alpha module', () => {
    expect(rows.flatMap((row) => missingIn(ALPHA, row.alphaSpans))).toEqual([]);
  });

  test('every name of the right column exists in this library', () => {
    expect(rows.flatMap((row) => missingIn(OURS, row.ourSpans))).toEqual([]);
  });

  test('the check finds names a module lacks', () => {
    expect(missingIn(OURS, ['BaseImage.fromAmiId(amiId)', 'ParentImage.fromAmi(amiId)', 'httpTokens: x', 'recipeVersion']))
      .toEqual(['BaseImage (in `BaseImage.fromAmiId(amiId)`)', 'ParentImage.fromAmi (in `ParentImage.fromAmi(amiId)`)', 'httpTokens (in `httpTokens: x`)']);
  });
});
