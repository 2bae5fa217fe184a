import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'yaml';
import {
  TOE_ACTIONS, TOE_EXECUTE_DOCUMENT_RULES, TOE_ON_FAILURE_VALUES, TOE_PHASES, TOE_PHASES_AT_LEAST_ONE_OF, TOE_STEP_NAME,
  TOE_TIMEOUT_SECONDS, ToeInputSpec, ToePlatform, findAction, findActionIgnoringCase,
} from '../../../src/private/toe/action-catalogue';

/** Real AWSTOE documents published by AWS (read-only, shared between projects). */
const CORPUS_DIR = path.join(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'awstoe');
const corpus = fs.readdirSync(CORPUS_DIR)
  .filter((file) => /\.ya?ml$/.test(file))
  .map((file) => ({
    file,
    platform: (file.startsWith('Windows__') ? 'Windows' : 'Linux') as ToePlatform,
    // parseDocument + toJS rather than parse: one sample ends with a stray quote that the `yaml`
    // package reports as an error, but the steps are still read.
    document: yaml.parseDocument(fs.readFileSync(path.join(CORPUS_DIR, file), 'utf-8')).toJS(),
  }));

const steps = corpus.flatMap(({ file, platform, document }) =>
  (document.phases as any[]).flatMap((phase) => (phase.steps as any[]).map((step) => ({ file, platform, step }))));

/** A YAML value fits an input type; plain scalars fit 'string' (AWSTOE examples write `permissions: 766`). */
function fits(spec: ToeInputSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'string': return ['string', 'number', 'boolean'].includes(typeof value);
    case 'integer': return Number.isInteger(value);
    case 'boolean': return typeof value === 'boolean';
    case 'list': return Array.isArray(value);
    case 'map': return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'any': return true;
  }
}

describe('the catalogue', () => {
  test('has unique action names, and unique input names within each action', () => {
    const names = TOE_ACTIONS.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    for (const action of TOE_ACTIONS) {
      const inputs = action.inputs.map((i) => i.name);
      expect(new Set(inputs).size).toBe(inputs.length);
      expect(action.platforms.length).toBeGreaterThan(0);
      expect(action.docUrl).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/imagebuilder\/latest\/userguide\/toe-action-modules\.html#/);
      for (const platform of action.uncertainPlatforms ?? []) {
        expect(action.platforms).toContain(platform);
      }
    }
  });

  test('finds actions by exact name, and suggests the spelling ignoring case', () => {
    expect(findAction('ExecuteBash')?.name).toBe('ExecuteBash');
    expect(findAction('executebash')).toBeUndefined();
    expect(findActionIgnoringCase('executebash')?.name).toBe('ExecuteBash');
    expect(findActionIgnoringCase('EXECUTEPOWERSHELL')?.name).toBe('ExecutePowerShell');
    expect(findActionIgnoringCase('RunScript')).toBeUndefined();
  });
});

describe('facts from the docs', () => {
  test('ExecutePowerShell, InstallMSI, UninstallMSI and SetRegistry are Windows-only', () => {
    for (const name of ['ExecutePowerShell', 'InstallMSI', 'UninstallMSI', 'SetRegistry']) {
      expect(findAction(name)?.platforms).toEqual(['Windows']);
    }
    expect(findAction('ExecutePowerShell')?.exactlyOneOf).toEqual([['commands', 'file']]);
  });

  test('ExecuteBash runs on Linux and macOS and requires a list of commands', () => {
    const bash = findAction('ExecuteBash')!;
    expect(bash.platforms).toEqual(['Linux', 'macOS']);
    expect(bash.inputShape).toBe('object');
    expect(bash.inputs).toContainEqual({ name: 'commands', required: true, type: 'list' });
    expect(bash.outputs).toEqual(['stdout']);
  });

  test('S3Download inputs are a list with required source and destination', () => {
    const download = findAction('S3Download')!;
    expect(download.inputShape).toBe('list');
    expect(download.inputs.filter((i) => i.required).map((i) => i.name)).toEqual(['source', 'destination']);
  });

  test('owner and permission modules are not for Windows; CreateSymlink takes path and target', () => {
    for (const name of ['SetFileOwner', 'SetFolderOwner', 'SetFilePermissions', 'SetFolderPermissions']) {
      expect(findAction(name)?.platforms).not.toContain('Windows');
    }
    expect(findAction('CreateSymlink')?.inputs.filter((i) => i.required).map((i) => i.name)).toEqual(['path', 'target']);
  });

  test('enumerations and outputs', () => {
    expect(findAction('SetRegistry')?.inputs.find((i) => i.name === 'type')?.allowedValues)
      .toEqual(['BINARY', 'DWORD', 'QWORD', 'SZ', 'EXPAND_SZ', 'MULTI_SZ']);
    expect(findAction('Reboot')?.inputs).toEqual([{ name: 'delaySeconds', required: false, type: 'integer' }]);
    expect(findAction('SetFileEncoding')?.inputs.find((i) => i.name === 'encoding')).toMatchObject({ caseInsensitive: true });
    expect(findAction('ReadFile')?.outputs).toEqual(['content']);
    expect(findAction('ListFiles')?.outputs).toEqual(['files']);
    expect(findAction('WebDownload')?.outputs).toEqual(['destination']);
  });

  test('ExecutePowerShell has only commands and file, so other inputs are errors', () => {
    const powerShell = findAction('ExecutePowerShell')!;
    expect(powerShell.inputs.map((i) => i.name)).toEqual(['commands', 'file']);
    expect(powerShell.strictInputs).toBe(true);
  });

  test('ExecuteDocument fixes timeoutSeconds at -1 and maxAttempts at 1', () => {
    expect(TOE_EXECUTE_DOCUMENT_RULES).toMatchObject({ timeoutSeconds: -1, maxAttempts: 1 });
  });

  test('step names are letters, numbers, hyphens and underscores', () => {
    for (const name of ['Install', 'install_App-2', '0']) {
      expect(TOE_STEP_NAME.pattern.test(name)).toBe(true);
    }
    for (const name of ['Loading ssh keys', 'Install.App', '', 'Étape', 'a/b']) {
      expect(TOE_STEP_NAME.pattern.test(name)).toBe(false);
    }
  });

  test('document-level facts', () => {
    expect(TOE_PHASES).toEqual(expect.arrayContaining(['build', 'validate', 'test']));
    expect(TOE_PHASES_AT_LEAST_ONE_OF).toEqual(['build', 'validate', 'test']);
    expect(TOE_ON_FAILURE_VALUES).toEqual(['Abort', 'Continue', 'Ignore']);
    expect(TOE_TIMEOUT_SECONDS).toMatchObject({ min: 1, noTimeout: -1, default: 7200 });
  });
});

describe('the AWS sample documents', () => {
  test('are there', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(7);
    expect(steps.length).toBeGreaterThan(0);
  });

  test.each(steps.map(({ file, platform, step }) => [`${file}: ${step.name} (${step.action})`, platform, step]))(
    '%s uses a known action and inputs, under a name Image Builder accepts',
    (_label, platform, step) => {
      expect(step.name).toMatch(TOE_STEP_NAME.pattern);
      const action = findAction(step.action);
      expect(action).toBeDefined();
      expect(action!.platforms).toContain(platform);

      const isList = Array.isArray(step.inputs);
      expect(action!.inputShape === 'either' || (action!.inputShape === 'list') === isList).toBe(true);
      for (const entry of isList ? step.inputs : [step.inputs]) {
        for (const spec of action!.inputs.filter((i) => i.required)) {
          expect(Object.keys(entry)).toContain(spec.name);
        }
        for (const group of action!.exactlyOneOf ?? []) {
          expect(group.filter((name) => name in entry)).toHaveLength(1);
        }
        for (const [key, value] of Object.entries(entry)) {
          const spec = action!.inputs.find((i) => i.name === key);
          expect(spec).toBeDefined();
          expect(fits(spec!, value)).toBe(true);
        }
      }
    });
});
