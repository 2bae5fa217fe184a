import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as yaml from 'yaml';
import { Component, ComponentData, ComponentDocument, Platform } from '../src';
import { findAction } from '../src/private/toe/action-catalogue';

/** Real AWSTOE documents published by AWS (read-only, shared between projects). */
const CORPUS_DIR = path.join(__dirname, '..', '..', 'shared', 'corpus', 'awstoe');
/** More published documents, kept with the tests (see the README there). */
const PUBLIC_DIR = path.join(__dirname, 'fixtures', 'awstoe-public');
/** What ComponentData.fromInline takes; longer documents are components from their file. */
const MAX_INLINE_LENGTH = 16_000;

function documentsIn(dir: string) {
  return fs.readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((file) => ({
      file,
      filePath: path.join(dir, file),
      platform: file.startsWith('Windows__') ? Platform.WINDOWS : Platform.LINUX,
      text: fs.readFileSync(path.join(dir, file), 'utf-8'),
    }));
}
const corpus = documentsIn(CORPUS_DIR);
const published = documentsIn(PUBLIC_DIR);
const documents = [...corpus, ...published];
type Document = typeof documents[number];

/**
 * Mutations that need a step with a required input, or with a string among its inputs, apply to
 * the documents that have one; these are the documents without (only an UpdateOS step, with no inputs).
 */
const WITHOUT_REQUIRED_INPUTS = ['Linux__S-Waleed__ec2-image-builder__update-linux.yml'];
const WITHOUT_STRING_INPUTS = ['Linux__S-Waleed__ec2-image-builder__update-linux.yml'];

function errors(text: string, platform: Platform): string[] {
  return ComponentDocument.fromYaml(text).validate({ platform }).filter((f) => f.severity === 'error').map((f) => f.message);
}

/** A broken copy of a document: parse, change, render again. */
function mutate(text: string, change: (document: any) => void): string {
  const document = parse(text);
  change(document);
  return yaml.stringify(document);
}

/** Parses like the validator: recovers from a stray character after a quoted value. */
function parse(text: string): any {
  return yaml.parseDocument(text).toJS();
}

function firstStep(document: any): any {
  return document.phases[0].steps[0];
}

test('the corpus and the published documents are there', () => {
  expect(corpus.length).toBeGreaterThanOrEqual(7);
  expect(published.length).toBeGreaterThanOrEqual(11);
});

test('only the documents named have no step for the input mutations', () => {
  expect(documents.filter((d) => !stepWithRequiredInput(d)).map((d) => d.file)).toEqual(WITHOUT_REQUIRED_INPUTS);
  expect(documents.filter((d) => !stepWithStringInput(d)).map((d) => d.file)).toEqual(WITHOUT_STRING_INPUTS);
});

describe.each(documents)('$file', ({ text, filePath, platform }) => {
  test('is accepted unchanged', () => {
    expect(errors(text, platform)).toEqual([]);
    const stack = new Stack(new App(), 'Stack');
    expect(() => new Component(stack, 'Component', { platform, data: componentData(text, filePath) })).not.toThrow();
  });

  test('rejects an unknown action, naming the step', () => {
    const name = firstStep(parse(text)).name;
    const broken = mutate(text, (d) => { firstStep(d).action = 'InstallEverything'; });
    expect(errors(broken, platform).join('\n')).toMatch(new RegExp(`step '${name}' \\(line \\d+\\): unknown action 'InstallEverything'`));
  });

  test('rejects a duplicate step name, naming the step', () => {
    const name = firstStep(parse(text)).name;
    const broken = mutate(text, (d) => { d.phases[0].steps.push({ ...firstStep(d) }); });
    expect(errors(broken, platform).join('\n')).toMatch(new RegExp(`step '${name}' \\(line \\d+\\): duplicate step name '${name}'`));
  });

  test('rejects a step name with a space, naming the step', () => {
    const broken = mutate(text, (d) => { firstStep(d).name = 'Loading ssh keys'; });
    expect(errors(broken, platform).join('\n'))
      .toMatch(/step 'Loading ssh keys' \(line \d+\): step name 'Loading ssh keys' is not allowed: Image Builder accepts only letters/);
  });

  test('rejects an unknown phase, naming it', () => {
    const broken = mutate(text, (d) => { d.phases[0].name = 'deploy'; });
    expect(errors(broken, platform).join('\n')).toMatch(/phase 'deploy' \(line \d+\): unknown phase name 'deploy'/);
  });

  test('rejects a bad onFailure, naming the step', () => {
    const name = firstStep(parse(text)).name;
    const broken = mutate(text, (d) => { firstStep(d).onFailure = 'Retry'; });
    expect(errors(broken, platform).join('\n'))
      .toMatch(new RegExp(`step '${name}' \\(line \\d+\\): onFailure must be one of Abort, Continue, Ignore, got 'Retry'`));
  });

  test('a broken copy fails synthesis of a Component', () => {
    const broken = mutate(text, (d) => { firstStep(d).action = 'InstallEverything'; });
    const stack = new Stack(new App(), 'Stack');
    expect(() => new Component(stack, 'Component', { platform, data: componentData(broken, filePath) }))
      .toThrow(/unknown action 'InstallEverything'/);
  });
});

describe.each(documents.filter((d) => stepWithRequiredInput(d)))('$file', (document) => {
  test('rejects a missing required input, naming the step', () => {
    const { text, platform } = document;
    const step = stepWithRequiredInput(document)!;
    const { names, message } = requiredInputsOf(step.action)!;
    const broken = mutate(text, (d) => {
      const target = d.phases.flatMap((p: any) => p.steps).find((s: any) => s.name === step.name);
      for (const entry of Array.isArray(target.inputs) ? target.inputs : [target.inputs]) {
        for (const name of names) delete entry[name];
      }
    });
    expect(errors(broken, platform).join('\n')).toMatch(new RegExp(`step '${step.name}' \\(line \\d+\\): ${escape(message)}`));
  });
});

describe.each(documents.filter((d) => stepWithStringInput(d)))('$file', (document) => {
  test('rejects a reference to an undeclared parameter, naming the step', () => {
    const { text, platform } = document;
    const name = stepWithStringInput(document)!.name;
    const broken = mutate(text, (d) => {
      const target = d.phases.flatMap((p: any) => p.steps).find((s: any) => s.name === name);
      target.inputs = appendToFirstString(target.inputs, ' {{ UndeclaredParameter }}');
    });
    expect(errors(broken, platform).join('\n'))
      .toMatch(new RegExp(`step '${name}' \\(line \\d+\\): '\\{\\{ UndeclaredParameter \\}\\}' is not a declared parameter`));
  });
});

/** Inline text when ComponentData.fromInline takes it, else a file beside the original. */
function componentData(text: string, originalPath: string): ComponentData {
  if (text.length <= MAX_INLINE_LENGTH) {
    return ComponentData.fromInline(text);
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-')), path.basename(originalPath));
  fs.writeFileSync(file, text);
  return ComponentData.fromAsset(file);
}

/** The inputs a step cannot do without: a required one, or a whole "one of these" group. */
function requiredInputsOf(action: string): { names: string[]; message: string } | undefined {
  const spec = findAction(action);
  const required = spec?.inputs.find((i) => i.required);
  if (required) return { names: [required.name], message: `missing required input '${required.name}' of ${action}` };
  const group = spec?.exactlyOneOf?.[0];
  return group && { names: [...group], message: `missing required input ${group.map((n) => `'${n}'`).join(' or ')} of ${action}` };
}

function steps({ text }: Document): any[] {
  return parse(text).phases.flatMap((p: any) => p.steps);
}

function stepWithRequiredInput(document: Document): any {
  return steps(document).find((s) => requiredInputsOf(s.action));
}

/** The first step with a string among its inputs, at any depth. */
function stepWithStringInput(document: Document): any {
  const hasString = (v: any): boolean => typeof v === 'string' || (v !== null && typeof v === 'object' && Object.values(v).some(hasString));
  return steps(document).find((s) => hasString(s.inputs));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Appends text to the first string found in the inputs, depth first. */
function appendToFirstString(value: any, suffix: string): any {
  let done = false;
  const visit = (v: any): any => {
    if (done) return v;
    if (typeof v === 'string') {
      done = true;
      return v + suffix;
    }
    if (Array.isArray(v)) return v.map(visit);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x)]));
    return v;
  };
  const result = visit(value);
  if (!done) throw new Error('no string input to append to');
  return result;
}
