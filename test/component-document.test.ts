import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AssetStaging, CfnParameter, Duration, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CfnComponent } from 'aws-cdk-lib/aws-imagebuilder';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as yaml from 'yaml';
import {
  Component,
  ComponentData,
  ComponentDocument,
  ComponentFile,
  ComponentPhaseName,
  ComponentStep,
  ImageRecipe,
  ParentImage,
  Platform,
  ScriptShell,
  ShellScriptType,
  StepCondition,
  StepLoop,
  StepOnFailure,
} from '../src';
import { expectValidTemplate } from './helpers/cfn-validate';
import { parseSimpleYaml } from '../src/private/toe/simple-yaml';

let stack: Stack;

beforeEach(() => {
  stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

function errorsOf(text: string, platform?: Platform): string[] {
  return ComponentDocument.fromYaml(text).validate({ platform }).filter((f) => f.severity === 'error').map((f) => f.message);
}

const VALID = `name: valid
schemaVersion: 1.0
parameters:
  - Version:
      type: string
      default: '1.2.3'
constants:
  - Folder:
      type: string
      value: /opt/app
phases:
  - name: build
    steps:
      - name: MakeFolder
        action: CreateFolder
        inputs:
          - path: '{{ Folder }}'
      - name: Install
        action: ExecuteBash
        inputs:
          commands:
            - echo installing {{ Version }} into {{ Folder }}
  - name: validate
    steps:
      - name: Check
        action: ExecuteBash
        inputs:
          commands:
            - test -d {{ Folder }}
      - name: Compare
        action: Assert
        inputs:
          stringEquals: ok
          value: '{{ validate.Check.outputs.stdout }}'
`;

describe('ComponentDocument authoring', () => {
  test('builds a document in code and renders YAML with a YAML library', () => {
    const document = new ComponentDocument({ name: 'web-server', description: 'Installs nginx' });
    document.addParameter('Port', { defaultValue: '80', description: 'listen port' });
    document.addConstant('ConfigPath', '/etc/nginx/nginx.conf');
    document.addSteps(ComponentPhaseName.TEST,
      ComponentStep.executeBash('CheckPort', { commands: ['ss -ltn | grep -q ":{{ Port }}"'] }));
    document.addSteps(ComponentPhaseName.BUILD,
      ComponentStep.updateOs('Update'),
      ComponentStep.executeBash('Install', {
        commands: ['dnf install -y nginx', 'echo "port: {{ Port }}" >> {{ ConfigPath }}'],
        onFailure: StepOnFailure.ABORT,
        timeout: Duration.minutes(10),
        maxAttempts: 3,
      }),
      ComponentStep.reboot('Reboot', { delay: Duration.seconds(5) }));

    // AWS writes the string version as 1.0; a JavaScript 1.0 would render as 1.
    expect(document.toYaml()).toContain('\nschemaVersion: 1.0\n');
    expect(yaml.parse(document.toYaml())).toEqual({
      name: 'web-server',
      description: 'Installs nginx',
      schemaVersion: 1,
      parameters: [{ Port: { type: 'string', default: '80', description: 'listen port' } }],
      constants: [{ ConfigPath: { type: 'string', value: '/etc/nginx/nginx.conf' } }],
      phases: [
        {
          name: 'build',
          steps: [
            { name: 'Update', action: 'UpdateOS', inputs: {} },
            {
              name: 'Install',
              action: 'ExecuteBash',
              timeoutSeconds: 600,
              onFailure: 'Abort',
              maxAttempts: 3,
              inputs: { commands: ['dnf install -y nginx', 'echo "port: {{ Port }}" >> {{ ConfigPath }}'] },
            },
            { name: 'Reboot', action: 'Reboot', inputs: { delaySeconds: 5 } },
          ],
        },
        { name: 'test', steps: [{ name: 'CheckPort', action: 'ExecuteBash', inputs: { commands: ['ss -ltn | grep -q ":{{ Port }}"'] } }] },
      ],
    });
    expect(document.validate({ platform: Platform.LINUX })).toEqual([]);
  });

  test('typed steps for the common actions render their inputs', () => {
    const document = new ComponentDocument();
    document.addSteps(ComponentPhaseName.BUILD,
      ComponentStep.s3Download('Get', { downloads: [{ source: 's3://bucket/app.zip', destination: '/tmp/app.zip' }] }),
      ComponentStep.webDownload('Fetch', { downloads: [{ source: 'https://example.com/a.tgz', destination: '/tmp/a.tgz' }] }),
      ComponentStep.createFile('Config', { path: '/etc/app.conf', content: 'a=1' }),
      ComponentStep.createFolder('Folder', { path: '/opt/app' }),
      ComponentStep.executeBinary('Run', { path: '/usr/bin/true', arguments: ['--version'] }),
      ComponentStep.s3Upload('Put', { uploads: [{ source: '/var/log/app.log', destination: 's3://bucket/logs/' }] }),
      ComponentStep.assert('Same', StepCondition.stringEquals('{{ build.Run.outputs.stdout }}', 'ok')),
      ComponentStep.custom('Link', 'CreateSymlink', [{ path: '/usr/local/app', target: '/opt/app' }]));

    const steps = yaml.parse(document.toYaml()).phases[0].steps;
    expect(steps.map((s: any) => s.action)).toEqual([
      'S3Download', 'WebDownload', 'CreateFile', 'CreateFolder', 'ExecuteBinary', 'S3Upload', 'Assert', 'CreateSymlink',
    ]);
    expect(steps[0].inputs).toEqual([{ source: 's3://bucket/app.zip', destination: '/tmp/app.zip' }]);
    expect(steps[6].inputs).toEqual({ stringEquals: 'ok', value: '{{ build.Run.outputs.stdout }}' });
    expect(document.validate({ platform: Platform.LINUX }).filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('s3Download with no downloads fails validation, as AWSTOE fails a step without inputs', () => {
    const document = new ComponentDocument();
    document.addSteps(ComponentPhaseName.BUILD, ComponentStep.s3Download('Download', { downloads: [] }));
    expect(document.validate({ platform: Platform.LINUX })).toEqual([{
      severity: 'error',
      line: undefined,
      message: "phase 'build', step 'Download': inputs of S3Download must list at least one map with 'source', 'destination', got []",
    }]);
    expect(() => new Component(stack, 'Component', { platform: Platform.LINUX, data: ComponentData.fromDocument(document) }))
      .toThrow(/component document has 1 error:\n {2}- phase 'build', step 'Download': inputs of S3Download must list at least one map/);
  });

  test('executePowerShell sets the execution policy with a first command, not an input', () => {
    const document = new ComponentDocument();
    document.addSteps(ComponentPhaseName.BUILD,
      ComponentStep.executePowerShell('Policy', { commands: ['Import-Module .\\a.psm1', 'dir'], executionPolicy: 'Bypass' }),
      ComponentStep.executePowerShell('NoPolicy', { commands: ['dir'] }));

    const steps = yaml.parse(document.toYaml()).phases[0].steps;
    expect(steps[0].inputs).toEqual({
      commands: ['Set-ExecutionPolicy -ExecutionPolicy Bypass -Scope Process -Force', 'Import-Module .\\a.psm1', 'dir'],
    });
    expect(steps[1].inputs).toEqual({ commands: ['dir'] });
    expect(document.validate({ platform: Platform.WINDOWS })).toEqual([]);
  });

  test('executePowerShell fails on an execution policy PowerShell does not have', () => {
    expect(() => ComponentStep.executePowerShell('Policy', { commands: ['dir'], executionPolicy: 'Bypas' }))
      .toThrow("executionPolicy of step 'Policy' must be one of AllSigned, Bypass, Default, RemoteSigned, Restricted, Undefined, Unrestricted, got 'Bypas'");
    expect(() => ComponentStep.executePowerShell('Policy', { commands: ['dir'], executionPolicy: 'remotesigned' })).not.toThrow();
  });

  test('loops and conditions', () => {
    const document = new ComponentDocument();
    document.addSteps(ComponentPhaseName.BUILD,
      ComponentStep.executeBash('Each', { commands: ['echo {{ loop.value }}'], loop: StepLoop.forEach(['a', 'b']) }),
      ComponentStep.executeBash('Count', { commands: ['echo {{ counter.index }}'], loop: StepLoop.range(1, 5, 2, 'counter') }),
      ComponentStep.executeBash('Split', { commands: ['echo {{ loop.value }}'], loop: StepLoop.forEachSplit('a,b', ',') }),
      ComponentStep.executeBash('OnlyLinux', {
        commands: ['uname'],
        condition: StepCondition.and(StepCondition.stringEquals('{{ loop.value }}', 'x'), StepCondition.not(StepCondition.numberEquals('1', 2))),
        loop: StepLoop.forEach(['x']),
      }),
      ComponentStep.executeBash('Tagged', {
        commands: ['echo tagged'],
        condition: StepCondition.or(
          StepCondition.stringEquals('{{ build.Each.outputs.stdout }}', 'ok'),
          StepCondition.fromObject({ patternMatches: '^v[0-9]+', value: '{{ build.Count.outputs.stdout }}' })),
      }));

    const steps = yaml.parse(document.toYaml()).phases[0].steps;
    expect(steps[0].loop).toEqual({ forEach: ['a', 'b'] });
    expect(steps[1].loop).toEqual({ name: 'counter', for: { start: 1, end: 5, updateBy: 2 } });
    expect(steps[2].loop).toEqual({ forEach: { list: 'a,b', delimiter: ',' } });
    expect(steps[3].if).toEqual({ and: [{ stringEquals: 'x', value: '{{ loop.value }}' }, { not: { numberEquals: 2, value: '1' } }] });
    expect(steps[4].if).toEqual({
      or: [{ stringEquals: 'ok', value: '{{ build.Each.outputs.stdout }}' }, { patternMatches: '^v[0-9]+', value: '{{ build.Count.outputs.stdout }}' }],
    });
    expect(document.validate().filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('renders schemaVersion: 1.0 whether it was given as 1 or as the string 1.0', () => {
    const phases = [{ name: 'build', steps: [{ name: 'Hello', action: 'ExecuteBash', inputs: { commands: ['echo hello'] } }] }];
    expect(new ComponentDocument().toYaml()).toBe('schemaVersion: 1.0\nphases: []\n');
    expect(ComponentDocument.fromJsonObject({ schemaVersion: 1, phases }).toYaml()).toMatch(/^schemaVersion: 1\.0\nphases:\n/);
    expect(ComponentDocument.fromJsonObject({ name: 'a', schemaVersion: '1.0', phases }).toYaml()).toMatch(/^name: a\nschemaVersion: 1\.0\nphases:\n/);
    // Other values render as given, for the validator to report.
    expect(ComponentDocument.fromJsonObject({ schemaVersion: 2, phases }).toYaml()).toMatch(/^schemaVersion: 2\n/);
  });

  test('fromYaml keeps the text; toJsonObject gives the parsed object', () => {
    const document = ComponentDocument.fromYaml(VALID);
    expect(document.toYaml()).toBe(VALID);
    expect(document.toJsonObject().phases[1].steps[1].action).toBe('Assert');
    expect(ComponentDocument.fromJsonObject(document.toJsonObject()).validate()).toEqual([]);
  });

  test('ComponentData.fromDocument validates and renders the document inline', () => {
    const document = new ComponentDocument({ name: 'hello' });
    document.addSteps(ComponentPhaseName.BUILD, ComponentStep.executeBash('Hello', { commands: ['echo hello'] }));
    new Component(stack, 'Component', { platform: Platform.LINUX, data: ComponentData.fromDocument(document) });

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Component', { Data: document.toYaml() });
    expectValidTemplate(stack);
  });

  test('ComponentData.fromDocument uploads documents over the inline limit as an asset', () => {
    const document = new ComponentDocument({ name: 'big' });
    for (let i = 0; i < 400; i++) {
      document.addSteps(ComponentPhaseName.BUILD, ComponentStep.executeBash(`Step${i}`, { commands: [`echo step number ${i}`] }));
    }
    expect(document.toYaml().length).toBeGreaterThan(16_000);
    new Component(stack, 'Component', { platform: Platform.LINUX, data: ComponentData.fromDocument(document) });

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Component', {
      Uri: Match.stringLikeRegexp('^s3://'),
      Data: Match.absent(),
    });
  });

  test('a document over the inline limit is written into the cloud assembly, named by its content', () => {
    const document = new ComponentDocument({ name: 'big' });
    for (let i = 0; i < 400; i++) {
      document.addSteps(ComponentPhaseName.BUILD, ComponentStep.executeBash(`Step${i}`, { commands: [`echo step number ${i}`] }));
    }
    const sourceFileOf = (component: Component) =>
      component.node.findAll().find((c): c is AssetStaging => c instanceof AssetStaging)!.sourcePath;
    const first = new Component(stack, 'First', { platform: Platform.LINUX, data: ComponentData.fromDocument(document) });
    const second = new Component(stack, 'Second', { platform: Platform.LINUX, data: ComponentData.fromDocument(document) });

    const sourceFile = sourceFileOf(first);
    expect(path.dirname(sourceFile)).toBe(Stage.of(stack)!.outdir);
    expect(sourceFileOf(second)).toBe(sourceFile);
    expect(fs.readFileSync(sourceFile, 'utf-8')).toBe(document.toYaml());
  });
});

describe('ComponentDocument validation', () => {
  test('a valid document has no findings', () => {
    expect(ComponentDocument.fromYaml(VALID).validate({ platform: Platform.LINUX })).toEqual([]);
  });

  test('fails on YAML syntax with the line', () => {
    expect(() => ComponentDocument.fromYaml('schemaVersion: 1.0\nphases: [\n  - x: :\n')).toThrow(/line \d+: YAML syntax error/);
  });

  test('fails when schemaVersion is missing or wrong', () => {
    expect(errorsOf(VALID.replace('schemaVersion: 1.0', 'schemaVersion: 2.0'))).toEqual(["document (line 2): schemaVersion must be 1.0, got '2'"]);
    expect(errorsOf(VALID.replace('schemaVersion: 1.0\n', ''))).toEqual(['document (line 1): schemaVersion is required; use 1.0']);
  });

  test('warns, not fails, on schemaVersion written as 1, which AWSTOE may read as the string "1"', () => {
    const warning = {
      severity: 'warning',
      line: 2,
      message: 'document (line 2): schemaVersion is written 1; AWSTOE documents use 1.0, and its string field may read 1 as "1": write schemaVersion: 1.0',
    };
    expect(ComponentDocument.fromYaml(VALID.replace('schemaVersion: 1.0', 'schemaVersion: 1')).validate()).toEqual([warning]);
    expect(ComponentDocument.fromYaml(VALID.replace('schemaVersion: 1.0', 'schemaVersion:  1  # the first')).validate()).toEqual([warning]);
    expect(ComponentDocument.fromYaml(VALID.replace('schemaVersion: 1.0', 'schemaVersion: "1.0"')).validate()).toEqual([]);
    expect(ComponentDocument.fromYaml(VALID.replace('schemaVersion: 1.0', "schemaVersion: '1.0'")).validate()).toEqual([]);
    // A description that mentions the key does not hide the key itself.
    expect(ComponentDocument.fromYaml(`description: set schemaVersion to 1.0\n${VALID.replace('schemaVersion: 1.0', 'schemaVersion: 1')}`)
      .validate().map((f) => f.message)).toEqual([warning.message.replace('line 2', 'line 3')]);
  });

  test('fails on an unknown phase, saying that Image Builder never runs it', () => {
    expect(errorsOf(VALID.replace('name: validate', 'name: verify'))).toContainEqual(
      "phase 'verify' (line 23): unknown phase name 'verify'; Image Builder runs only the build, validate, test, container-host-test phases, "
      + 'so another phase never runs (for a document meant for local AWSTOE runs, set validateDocument: false)');
  });

  test('fails when no phase is build, validate or test', () => {
    const phases = (...names: string[]) => 'schemaVersion: 1.0\nphases:\n'
      + names.map((name) => `  - name: ${name}\n    steps:\n      - name: Check\n        action: ExecuteBash\n        inputs:\n          commands: [id]\n`).join('');
    expect(errorsOf(phases('container-host-test')))
      .toEqual(["document (line 3): phases must include at least one of build, validate, test, got 'container-host-test'"]);
    expect(errorsOf(phases('deploy')).join('\n'))
      .toMatch(/document \(line 3\): phases must include at least one of build, validate, test, got 'deploy'/);
    expect(errorsOf(phases('test', 'container-host-test'))).toEqual([]);
    expect(errorsOf(phases('validate'))).toEqual([]);
  });

  test('fails when a phase appears twice', () => {
    expect(errorsOf(VALID.replace('name: validate', 'name: build')).join('\n')).toMatch(/phase 'build' appears more than once/);
  });

  test('fails when a phase has no steps', () => {
    expect(errorsOf('schemaVersion: 1.0\nphases:\n  - name: build\n    steps: []\n'))
      .toEqual(["phase 'build' (line 3): steps must be a non-empty list, got []"]);
  });

  test('fails on a duplicate step name, naming the step and its line', () => {
    expect(errorsOf(VALID.replace('name: Install', 'name: MakeFolder')))
      .toContainEqual("phase 'build', step 'MakeFolder' (line 18): duplicate step name 'MakeFolder' in this phase; step names must be unique within a phase");
  });

  test('fails on a step name with characters Image Builder rejects, naming the step and the allowed characters', () => {
    for (const name of ['Install.App', 'Loading ssh keys']) {
      expect(ComponentDocument.fromYaml(VALID.replace('name: Install', `name: ${name}`)).validate()).toEqual([{
        severity: 'error',
        line: 18,
        message: `phase 'build', step '${name}' (line 18): step name '${name}' is not allowed: `
          + 'Image Builder accepts only letters (a-z, A-Z), numbers (0-9), hyphens (-) and underscores (_)',
      }]);
    }
    expect(errorsOf(VALID.replace('name: Install', 'name: install_App-2'))).toEqual([]);
  });

  test('fails on a parameter name that is too short', () => {
    expect(errorsOf(VALID.replace('  - Version:', '  - V:').replace('{{ Version }}', '{{ V }}')))
      .toEqual(["parameter 'V' (line 4): names must be 3 to 128 letters, numbers, hyphens and underscores"]);
  });

  test('fails when a name is both a parameter and a constant', () => {
    expect(errorsOf(VALID.replace('  - Folder:', '  - Version:').replace(/\{\{ Folder \}\}/g, '{{ Version }}')).join('\n'))
      .toMatch(/constant 'Version' \(line 8\): 'Version' is declared more than once/);
  });

  test('fails on an input ExecutePowerShell does not have', () => {
    const ps = 'schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Ps\n        action: ExecutePowerShell\n'
      + '        inputs:\n          commands: [dir]\n          executionPolicy: Bypass\n';
    expect(errorsOf(ps, Platform.WINDOWS))
      .toEqual(["phase 'build', step 'Ps' (line 9): unknown input 'executionPolicy' of ExecutePowerShell; its inputs are commands, file"]);
  });

  test('fails when ExecutePowerShell has neither commands nor file, or both', () => {
    const ps = (inputs: string) => `schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Ps\n        action: ExecutePowerShell\n        inputs:\n${inputs}`;
    expect(errorsOf(ps('          executionPolicy: Bypass\n'), Platform.WINDOWS).join('\n'))
      .toMatch(/step 'Ps' \(line 8\): missing required input 'commands' or 'file' of ExecutePowerShell/);
    expect(errorsOf(ps('          commands: [dir]\n          file: C:\\a.ps1\n'), Platform.WINDOWS).join('\n'))
      .toMatch(/give only one of 'commands' or 'file' to ExecutePowerShell, got 2/);
  });

  test('an enumerated input is checked, ignoring case where AWSTOE does', () => {
    const file = (encoding: string) => VALID.replace("          - path: '{{ Folder }}'", "          - path: '{{ Folder }}'")
      .replace('        action: CreateFolder\n        inputs:\n          - path: \'{{ Folder }}\'',
        `        action: CreateFile\n        inputs:\n          - path: '{{ Folder }}/a.txt'\n            encoding: ${encoding}`);
    expect(errorsOf(file('UTF-32'))).toEqual([]);
    expect(errorsOf(file('latin1')).join('\n')).toMatch(/input 'encoding' of CreateFile must be one of utf8, .*got 'latin1'/);
  });

  test('warns, not fails, on an enumerated input that matches an allowed value only ignoring case; fails on one that matches none', () => {
    const download = (algorithm: string) => 'schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Fetch\n        action: WebDownload\n'
      + `        inputs:\n          - source: https://example.com/a.tgz\n            destination: /tmp/a.tgz\n            checksum: 00ff\n            algorithm: ${algorithm}\n`;
    expect(ComponentDocument.fromYaml(download('sha256')).validate({ platform: Platform.LINUX })).toEqual([{
      severity: 'warning',
      line: 11,
      message: "phase 'build', step 'Fetch' (line 11): input 'algorithm' of WebDownload is 'sha256'; AWSTOE documents 'SHA256', and may compare values case-sensitively",
    }]);
    expect(ComponentDocument.fromYaml(download('SHA256')).validate({ platform: Platform.LINUX })).toEqual([]);
    expect(errorsOf(download('SHA-256'))).toEqual([
      "phase 'build', step 'Fetch' (line 11): input 'algorithm' of WebDownload must be one of MD5, SHA1, SHA256, SHA512, got 'SHA-256'",
    ]);
  });

  test('warns, not fails, on a boolean input written as a YAML 1.1 boolean; fails on other strings', () => {
    const copy = (overwrite: string) => 'schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Copy\n        action: CopyFile\n'
      + `        inputs:\n          - source: /tmp/a\n            destination: /tmp/b\n            overwrite: ${overwrite}\n`;
    for (const value of ['yes', 'No', 'ON', 'off', 'y', 'N']) {
      expect(ComponentDocument.fromYaml(copy(value)).validate()).toEqual([{
        severity: 'warning',
        line: 10,
        message: `phase 'build', step 'Copy' (line 10): input 'overwrite' of CopyFile is the string '${value}', which only YAML 1.1 readers take as a boolean; write true/false`,
      }]);
    }
    expect(ComponentDocument.fromYaml(copy('false')).validate()).toEqual([]);
    expect(errorsOf(copy('maybe'))).toEqual([
      'phase \'build\', step \'Copy\' (line 10): input \'overwrite\' of CopyFile must be true or false, got "maybe"',
    ]);
  });

  test('chained references may name inputs and indexes', () => {
    expect(errorsOf(VALID.replace('into {{ Folder }}', 'into {{ build.MakeFolder.inputs[0].path }}'))).toEqual([]);
  });

  test('fails on an S3Download source that is no s3:// URL, and takes one with a variable', () => {
    const download = (source: string) => [
      'schemaVersion: 1.0', 'phases:', '  - name: build', '    steps:', '      - name: Fetch', '        action: S3Download', '        inputs:',
      `          - source: '${source}'`, '            destination: /tmp/agent.rpm',
    ].join('\n');

    expect(errorsOf(download('my-bucket/agent.rpm'))).toEqual([
      "phase 'build', step 'Fetch' (line 8): input 'source' of S3Download must be a URL s3://bucket/key, starting s3://, got 'my-bucket/agent.rpm'",
    ]);
    expect(errorsOf(download('s3://my-bucket/agent.rpm'))).toEqual([]);
    expect(errorsOf(download('{{ AgentSource }}'))).toEqual(expect.arrayContaining([expect.stringContaining('AgentSource')]));
    expect(errorsOf(download('{{ AgentSource }}')).join('\n')).not.toMatch(/must be a URL/);
  });

  test('fails on an unknown action a typo away from a known one, and suggests that one', () => {
    expect(errorsOf(VALID.replace('action: ExecuteBash', 'action: ExecuteBsh')))
      .toContainEqual("phase 'build', step 'Install' (line 19): unknown action 'ExecuteBsh'; did you mean 'ExecuteBash'? see the AWSTOE action modules for the list");
    // As near to two actions (SetFileOwner and SetFolderOwner are both two letters from SetFoldOwner): no guess.
    expect(errorsOf(VALID.replace('action: ExecuteBash', 'action: SetFoldOwner')).join('\n')).toMatch(/unknown action 'SetFoldOwner'; see the AWSTOE/);
  });

  test('fails on an unknown action and suggests the right case', () => {
    expect(errorsOf(VALID.replace('action: ExecuteBash', 'action: executebash')))
      .toContainEqual("phase 'build', step 'Install' (line 19): unknown action 'executebash'; action names are case-sensitive: did you mean 'ExecuteBash'?");
    expect(errorsOf(VALID.replace('action: ExecuteBash', 'action: RunScript')).join('\n'))
      .toMatch(/step 'Install' \(line 19\): unknown action 'RunScript'/);
  });

  test('fails on a missing required input', () => {
    expect(errorsOf(VALID.replace('          commands:\n            - echo installing', '          command:\n            - echo installing')).join('\n'))
      .toMatch(/step 'Install' \(line 21\): missing required input 'commands' of ExecuteBash/);
  });

  test('fails on an input of the wrong type', () => {
    expect(errorsOf(VALID.replace('          commands:\n            - echo installing {{ Version }} into {{ Folder }}', '          commands: echo hi')).join('\n'))
      .toMatch(/step 'Install' \(line 21\): input 'commands' of ExecuteBash must be a list, got "echo hi"/);
  });

  test('fails on inputs of the wrong shape', () => {
    expect(errorsOf(VALID.replace("          - path: '{{ Folder }}'", "          path: '{{ Folder }}'")).join('\n'))
      .toMatch(/step 'MakeFolder' \(line 17\): inputs of CreateFolder must be a list of maps/);
  });

  test('fails on a bad onFailure', () => {
    expect(errorsOf(VALID.replace('        action: CreateFolder', '        action: CreateFolder\n        onFailure: Skip')).join('\n'))
      .toMatch(/step 'MakeFolder' \(line 16\): onFailure must be one of Abort, Continue, Ignore, got 'Skip'/);
  });

  test('warns on an onFailure that matches only ignoring case, as for enumerated inputs', () => {
    const findings = ComponentDocument.fromYaml(VALID.replace('        action: CreateFolder', '        action: CreateFolder\n        onFailure: continue')).validate();
    expect(findings.map((f) => `${f.severity}: ${f.message}`)).toEqual([
      "warning: phase 'build', step 'MakeFolder' (line 16): onFailure is 'continue'; AWSTOE documents 'Continue', and may compare values case-sensitively",
    ]);
  });

  test('reads YAML merge keys, so a step that merges shared settings is checked like any other', () => {
    const text = 'schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: A\n        action: ExecuteBash\n'
      + '        inputs: &bash\n          commands:\n            - echo hi\n      - name: B\n        <<: &common\n'
      + '          action: ExecuteBash\n          onFailure: Continue\n        inputs: *bash\n';
    expect(ComponentDocument.fromYaml(text).validate()).toEqual([]);
    expect(errorsOf(text.replace('onFailure: Continue', 'onFailure: Later'))).toEqual([
      "phase 'build', step 'B' (line 10): onFailure must be one of Abort, Continue, Ignore, got 'Later'",
    ]);
  });

  test('fails on timeoutSeconds out of range', () => {
    expect(errorsOf(VALID.replace('        action: CreateFolder', '        action: CreateFolder\n        timeoutSeconds: 0')).join('\n'))
      .toMatch(/timeoutSeconds must be a positive whole number, or -1 for no timeout, got '0'/);
    expect(errorsOf(VALID.replace('        action: CreateFolder', '        action: CreateFolder\n        timeoutSeconds: -5')).join('\n'))
      .toMatch(/got '-5'/);
    expect(errorsOf(VALID.replace('        action: CreateFolder', '        action: CreateFolder\n        timeoutSeconds: -1'))).toEqual([]);
  });

  // This was an error; the docs give maxAttempts no minimum, so AWSTOE may accept 0.
  test('warns, not fails, on maxAttempts below 1; fails on one that is not a whole number', () => {
    const withAttempts = (value: string) => VALID.replace('        action: CreateFolder', `        action: CreateFolder\n        maxAttempts: ${value}`);
    for (const value of ['0', '-2']) {
      expect(ComponentDocument.fromYaml(withAttempts(value)).validate()).toEqual([{
        severity: 'warning',
        line: 16,
        message: `phase 'build', step 'MakeFolder' (line 16): maxAttempts should be at least 1, got '${value}'; AWSTOE documents no smaller count and may reject it`,
      }]);
    }
    expect(errorsOf(withAttempts('1.5'))).toEqual(["phase 'build', step 'MakeFolder' (line 16): maxAttempts must be a whole number, got '1.5'"]);
    expect(errorsOf(withAttempts('three'))).toEqual(["phase 'build', step 'MakeFolder' (line 16): maxAttempts must be a whole number, got 'three'"]);
  });

  test('fails on a map where a single value is expected, showing the map', () => {
    const withSetting = (setting: string) => VALID.replace('        action: CreateFolder', `        action: CreateFolder\n        ${setting}`);
    expect(errorsOf(VALID.replace('schemaVersion: 1.0', 'schemaVersion: { a: 1 }'))).toEqual([
      'document (line 2): schemaVersion must be 1.0, got {"a":1}',
    ]);
    expect(errorsOf(withSetting('onFailure: { a: 1 }'))).toEqual([
      "phase 'build', step 'MakeFolder' (line 16): onFailure must be one of Abort, Continue, Ignore, got {\"a\":1}",
    ]);
    expect(errorsOf(withSetting('timeoutSeconds: { a: 1 }'))).toEqual([
      "phase 'build', step 'MakeFolder' (line 16): timeoutSeconds must be a positive whole number, or -1 for no timeout, got {\"a\":1}",
    ]);
    expect(errorsOf(withSetting('maxAttempts: [1, 2]'))).toEqual([
      "phase 'build', step 'MakeFolder' (line 16): maxAttempts must be a whole number, got [1,2]",
    ]);
  });

  test('fails on a reference to an undeclared parameter', () => {
    expect(errorsOf(VALID.replace('into {{ Folder }}', 'into {{ Folderr }}')))
      .toContainEqual("phase 'build', step 'Install' (line 21): '{{ Folderr }}' is not a declared parameter or constant, a loop variable or an earlier step's output");
  });

  test('fails on a reference to a later step', () => {
    expect(errorsOf(VALID.replace("'{{ Folder }}'", "'{{ build.Install.outputs.stdout }}'")).join('\n'))
      .toMatch(/'\{\{ build.Install.outputs.stdout \}\}' refers to step 'Install' of phase 'build', which does not run before this step/);
  });

  test('warns, not fails, on a loop variable in a step without a loop: AWSTOE leaves it unreplaced', () => {
    for (const variable of ['loop.value', 'loop.index']) {
      expect(ComponentDocument.fromYaml(VALID.replace('into {{ Folder }}', `into {{ ${variable} }}`)).validate()).toEqual([{
        severity: 'warning',
        line: 21,
        message: `phase 'build', step 'Install' (line 21): '{{ ${variable} }}' refers to a loop, but this step has no loop: AWSTOE leaves the expression as written`,
      }]);
    }
  });

  test('fails on a loop variable that the loop of the step does not have', () => {
    const withLoop = VALID.replace('        action: ExecuteBash\n        inputs:\n          commands:\n            - echo installing',
      '        action: ExecuteBash\n        loop:\n          name: versions\n          forEach: [a]\n        inputs:\n          commands:\n            - echo installing');
    expect(errorsOf(withLoop.replace('into {{ Folder }}', 'into {{ versions.value }} {{ loop.index }}'))).toEqual([]);
    expect(errorsOf(withLoop.replace('into {{ Folder }}', 'into {{ other.value }} {{ loop.name }}'))).toEqual([
      "phase 'build', step 'Install' (line 24): '{{ other.value }}' is not a declared parameter or constant, a loop variable or an earlier step's output",
      "phase 'build', step 'Install' (line 24): '{{ loop.name }}' is not a declared parameter or constant, a loop variable or an earlier step's output",
    ]);
  });

  describe('loop names', () => {
    /** A step with a loop named as given (the YAML text of the name), in the given phase. */
    const loopStep = (step: string, name: string, reference = 'loop.value') =>
      `      - name: ${step}\n        action: ExecuteBash\n        loop:\n          name: ${name}\n          forEach: [a, b]\n`
      + `        inputs:\n          commands:\n            - echo {{ ${reference} }}\n`;
    const phase = (name: string, ...steps: string[]) => `  - name: ${name}\n    steps:\n${steps.join('')}`;
    const doc = (...phases: string[]) => `schemaVersion: 1.0\nphases:\n${phases.join('')}`;

    test('may be empty, as by default', () => {
      expect(ComponentDocument.fromYaml(doc(phase('build', loopStep('A', '""'), loopStep('B', "''"), loopStep('C', '')))).validate()).toEqual([]);
    });

    test('warns on a name that {{ name.value }} cannot name', () => {
      expect(ComponentDocument.fromYaml(doc(phase('build', loopStep('A', 'my.loop', 'my.loop.value')))).validate()).toEqual([{
        severity: 'warning',
        line: 8,
        message: "phase 'build', step 'A' (line 8): use letters, numbers, hyphens and underscores in loop names so that {{ <name>.value }} can refer to them, got 'my.loop'",
      }]);
    });

    test('fails on two loops with the same name in one phase', () => {
      expect(errorsOf(doc(phase('build', loopStep('A', 'files', 'files.value'), loopStep('B', 'other'), loopStep('C', 'files'))))).toEqual([
        "phase 'build', step 'C' (line 24): duplicate loop name 'files' in this phase; loop names must be unique within a phase",
      ]);
    });

    test('warn, not fail, when a later step without a loop refers to one: AWSTOE leaves the expression as written', () => {
      const noLoop = (reference: string) => `      - name: B\n        action: ExecuteBash\n        inputs:\n          commands:\n            - echo "{{ ${reference} }}"\n`;
      for (const reference of ['myLoop.value', 'myLoop.index', 'unknownLoop.value']) {
        expect(ComponentDocument.fromYaml(doc(phase('build', loopStep('A', 'myLoop', 'myLoop.value'), noLoop(reference)))).validate()).toEqual([{
          severity: 'warning',
          line: 16,
          message: `phase 'build', step 'B' (line 16): '{{ ${reference} }}' refers to a loop, but this step has no loop: AWSTOE leaves the expression as written`,
        }]);
      }
      // A step with a loop still fails on the name of another step's loop.
      expect(errorsOf(doc(phase('build', loopStep('A', 'myLoop', 'myLoop.value'), loopStep('B', 'other', 'myLoop.value'))))).toEqual([
        "phase 'build', step 'B' (line 19): '{{ myLoop.value }}' is not a declared parameter or constant, a loop variable or an earlier step's output",
      ]);
    });

    test('may repeat in another phase', () => {
      expect(errorsOf(doc(phase('build', loopStep('A', 'files')), phase('validate', loopStep('A', 'files'))))).toEqual([]);
    });

    test('fails on a name that is not a string', () => {
      expect(errorsOf(doc(phase('build', loopStep('A', '[a, b]'))))).toEqual([
        "phase 'build', step 'A' (line 8): loop name must be a string, got [\"a\",\"b\"]",
      ]);
    });
  });

  describe('if', () => {
    const withIf = (condition: string) => VALID.replace('        action: CreateFolder', `        action: CreateFolder\n        if:\n${condition}`);

    test('may be a map or a list of maps', () => {
      expect(errorsOf(withIf('          stringEquals: a\n          value: a'))).toEqual([]);
      expect(errorsOf(withIf('          - stringEquals: a\n            value: a'))).toEqual([]);
      expect(errorsOf(withIf('          - and:\n              - stringEquals: a\n                value: a\n          - binaryExists: bash'))).toEqual([]);
    });

    test('fails when it is a scalar, or a list with a scalar', () => {
      expect(errorsOf(withIf('          yes'))).toEqual([
        "phase 'build', step 'MakeFolder' (line 17): if must be a map of a condition, or a list of them, got \"yes\"",
      ]);
      expect(errorsOf(withIf('          - stringEquals: a\n            value: a\n          - always'))).toEqual([
        "phase 'build', step 'MakeFolder' (line 19): each item of an if list must be a map of a condition, got \"always\"",
      ]);
    });

    test('fails on two operators at the top level, or none', () => {
      expect(errorsOf(withIf('          binaryExists: yum\n          fileExists: /etc/os-release'))).toEqual([
        "phase 'build', step 'MakeFolder' (line 17): if must have exactly one operator at the top level, got binaryExists, fileExists; " +
        'to test several conditions, combine them with and, or, not',
      ]);
      expect(errorsOf(withIf('          - then: Execute'))).toEqual([
        "phase 'build', step 'MakeFolder' (line 17): if must have exactly one operator at the top level, got none; " +
        'to test several conditions, combine them with and, or, not',
      ]);
    });

    test('then and else take Abort, Execute or Skip, and fail on anything else', () => {
      expect(errorsOf(withIf('          binaryExists: yum\n          then: Execute\n          else: Skip'))).toEqual([]);
      expect(errorsOf(withIf('          - binaryExists: yum\n            then: Abort'))).toEqual([]);
      expect(errorsOf(withIf('          binaryExists: yum\n          then: Run'))).toEqual([
        "phase 'build', step 'MakeFolder' (line 18): if then must be one of Abort, Execute, Skip, got \"Run\"",
      ]);
    });

    test('fails on and, or and not nested more than four levels deep', () => {
      const nested = (levels: number) => Array.from({ length: levels }, (_, k) => `${' '.repeat(10 + 2 * k)}not:`).join('\n')
        + `\n${' '.repeat(10 + 2 * levels)}binaryExists: yum`;
      expect(errorsOf(withIf(nested(4)))).toEqual([]);
      expect(errorsOf(withIf(nested(5)))).toEqual([
        "phase 'build', step 'MakeFolder' (line 17): if nests and, or and not 5 levels deep; AWSTOE allows at most 4",
      ]);
      const mixed = '          and:\n            - or:\n                - not:\n                    and:\n                      - not:\n'
        + '                          binaryExists: yum\n            - binaryExists: bash';
      expect(errorsOf(withIf(mixed))).toEqual([
        "phase 'build', step 'MakeFolder' (line 17): if nests and, or and not 5 levels deep; AWSTOE allows at most 4",
      ]);
    });
  });

  describe('YAML that does not mean what it says', () => {
    const withCommand = (command: string) =>
      'schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Run\n        action: ExecuteBash\n'
      + `        inputs:\n          commands:\n            - ${command}\n`;

    test('fails on an unquoted {{ name }}, which YAML reads as a mapping, naming the line and the fix', () => {
      expect(() => ComponentDocument.fromYaml(withCommand('{{ Foo }}')))
        .toThrow("line 9: YAML syntax error: an unquoted {{ Foo }} is read by YAML as a mapping, not as text: quote it, e.g. '{{ Foo }}'");
    });

    test('fails on another mapping used as a key', () => {
      expect(() => ComponentDocument.fromYaml(withCommand('{ [a, b]: c }')))
        .toThrow('line 9: YAML syntax error: a mapping or list cannot be a key, got [a, b]');
    });

    test('fails on an alias inside the node it refers to, which would never end', () => {
      const text = 'schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: A\n        action: ExecuteBash\n'
        + '        if: &c {and: [*c]}\n        inputs: {commands: [echo]}\n';
      expect(() => ComponentDocument.fromYaml(text)).toThrow('line 7: YAML syntax error: alias *c is inside the node &c it refers to, which would never end');
    });

    test('fails on a merge key of something other than a map as a finding, and a component kept unchecked still goes into a recipe', () => {
      const text = 'schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: A\n        action: ExecuteBash\n'
        + '        inputs:\n          <<: foo\n          commands: [echo]\n';
      expect(() => ComponentDocument.fromYaml(text)).toThrow('component document is not valid YAML: YAML syntax error: Merge sources must be maps or map aliases');
      expect(() => new Component(stack, 'Checked', { platform: Platform.LINUX, data: ComponentData.fromInline(text) }))
        .toThrow(/component document has 1 error:\n {2}- YAML syntax error: Merge sources must be maps or map aliases/);
      const unchecked = new Component(stack, 'Unchecked', { platform: Platform.LINUX, data: ComponentData.fromInline(text), validateDocument: false });
      new ImageRecipe(stack, 'Recipe', { parentImage: ParentImage.fromAmiId('ami-0123456789abcdef0', { platform: Platform.LINUX }), components: [{ component: unchecked }] });
      expect(Template.fromStack(stack).findResources('AWS::ImageBuilder::ImageRecipe')).not.toEqual({});
    });

    test('fails on an alias without an anchor before it, naming the line, instead of an error without one', () => {
      const text = 'schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: List\n        action: ListFiles\n'
        + '        inputs:\n          - path: /var/log\n            fileNamePattern: *log\n';
      expect(() => ComponentDocument.fromYaml(text)).toThrow('line 9: YAML syntax error: alias *log has no anchor &log before it');
      expect(errorsOf(text.replace('*log', "'*log'"))).toEqual([]);
    });
  });

  describe('ExecuteDocument', () => {
    const run = (settings: string) => 'schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Nested\n        action: ExecuteDocument\n'
      + `${settings}        inputs:\n          document: s3://bucket/nested.yml\n`;

    test('fails when timeoutSeconds or maxAttempts is set to another value than AWSTOE fixes', () => {
      expect(errorsOf(run('        timeoutSeconds: 600\n        maxAttempts: 3\n'))).toEqual([
        "phase 'build', step 'Nested' (line 7): ExecuteDocument fixes timeoutSeconds at -1; leave it out or set -1, got '600'",
        "phase 'build', step 'Nested' (line 8): ExecuteDocument fixes maxAttempts at 1; leave it out or set 1, got '3'",
      ]);
      expect(errorsOf(run('        timeoutSeconds: 0\n'))).toEqual([
        "phase 'build', step 'Nested' (line 7): ExecuteDocument fixes timeoutSeconds at -1; leave it out or set -1, got '0'",
      ]);
      expect(errorsOf(run('        maxAttempts: { a: 1 }\n'))).toEqual([
        "phase 'build', step 'Nested' (line 7): ExecuteDocument fixes maxAttempts at 1; leave it out or set 1, got {\"a\":1}",
      ]);
    });

    test('accepts the fixed values, or none', () => {
      expect(errorsOf(run(''))).toEqual([]);
      expect(errorsOf(run('        timeoutSeconds: -1\n        maxAttempts: 1\n'))).toEqual([]);
    });
  });

  describe('the shape of the document', () => {
    /** A document of one build phase with these step lines. */
    const withSteps = (steps: string) => `schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n${steps}`;
    /** A valid document of one Reboot step after these top-level lines. */
    const withTop = (top: string) => `schemaVersion: 1.0\n${top}phases:\n  - name: build\n    steps:\n      - name: Restart\n        action: Reboot\n`;
    const findingsOf = (text: string) => ComponentDocument.fromYaml(text).validate({ platform: Platform.LINUX });

    test('fails when the document is not a map', () => {
      expect(errorsOf('- a\n- b\n')).toEqual(['document (line 1): must be a map with schemaVersion and phases, got ["a","b"]']);
      expect(errorsOf('hello\n')).toEqual(['document (line 1): must be a map with schemaVersion and phases, got "hello"']);
      // An empty text has no line to point at.
      expect(ComponentDocument.fromYaml('').validate())
        .toEqual([{ severity: 'error', line: undefined, message: 'document: must be a map with schemaVersion and phases, got null' }]);
    });

    test('warns, not fails, on an unknown top-level key', () => {
      expect(findingsOf(withTop('author: me\n'))).toEqual([{
        severity: 'warning',
        line: 2,
        message: "document (line 2): unknown top-level key 'author'; AWSTOE documents have name, description, schemaVersion, parameters, constants, phases",
      }]);
    });

    test('fails when phases are missing or not a list', () => {
      expect(errorsOf('schemaVersion: 1.0\n'))
        .toEqual(['document (line 1): phases must be a non-empty list of phases (build, validate, test), got nothing']);
      expect(errorsOf('schemaVersion: 1.0\nphases:\n  build: {}\n'))
        .toEqual(['document (line 1): phases must be a non-empty list of phases (build, validate, test), got {"build":{}}']);
    });

    test('fails on a phase that is not a map', () => {
      expect(errorsOf('schemaVersion: 1.0\nphases:\n  - build\n')).toEqual([
        'phase 1 (line 3): must be a map with name and steps, got "build"',
        'document (line 3): phases must include at least one of build, validate, test, got none',
      ]);
    });

    test('fails on a step that is not a map', () => {
      expect(errorsOf(withSteps('      - echo hi\n')))
        .toEqual(["phase 'build', step 1 (line 5): must be a map with name, action and inputs, got \"echo hi\""]);
    });

    test('fails when parameters are not a list of single-key maps', () => {
      expect(errorsOf(withTop('parameters:\n  Version: x\n')))
        .toEqual(['parameters (line 3): parameters must be a list of single-key maps, got {"Version":"x"}']);
      expect(errorsOf(withTop('parameters:\n  - Version:\n      type: string\n    Other:\n      type: string\n'))).toEqual([
        'parameters entry 1 (line 3): must be a map with exactly one name, got {"Version":{"type":"string"},"Other":{"type":"string"}}',
      ]);
    });

    test('fails on a parameter that is not of type string', () => {
      expect(errorsOf(withTop('parameters:\n  - Version:\n      type: integer\n      default: 1\n')))
        .toEqual(['parameter \'Version\' (line 3): must have type: string, got "integer"']);
      expect(errorsOf(withTop('parameters:\n  - Version:\n'))).toEqual(["parameter 'Version' (line 3): must have type: string, got null"]);
    });

    test('fails on a constant without a value', () => {
      expect(errorsOf(withTop('constants:\n  - Folder:\n      type: string\n'))).toEqual(["constant 'Folder' (line 3): a constant needs a value"]);
    });

    test('warns, not fails, on an unknown step key', () => {
      expect(findingsOf(withSteps('      - name: Restart\n        action: Reboot\n        timeout: 5\n'))).toEqual([{
        severity: 'warning',
        line: 7,
        message: "phase 'build', step 'Restart' (line 7): unknown step key 'timeout'; "
          + 'steps have name, action, timeoutSeconds, onFailure, maxAttempts, inputs, loop, if',
      }]);
    });

    test('fails on a step without an action, or with one that is not a string', () => {
      expect(errorsOf(withSteps('      - name: Check\n        inputs:\n          commands: [id]\n')))
        .toEqual(["phase 'build', step 'Check' (line 5): action is required and must be a string, got nothing"]);
      expect(errorsOf(withSteps('      - name: Check\n        action: 5\n')))
        .toEqual(["phase 'build', step 'Check' (line 5): action is required and must be a string, got 5"]);
    });

    test('fails on a step without inputs when its action requires some, with the line of the step', () => {
      expect(findingsOf(withSteps('      - name: Get\n        action: S3Download\n'))).toEqual([{
        severity: 'error',
        line: 5,
        message: "phase 'build', step 'Get' (line 5): missing required inputs 'source', 'destination' of S3Download",
      }]);
      expect(errorsOf(withSteps('      - name: Check\n        action: ExecuteBash\n')))
        .toEqual(["phase 'build', step 'Check' (line 5): missing required input 'commands' of ExecuteBash"]);
    });

    test('fails on an empty list of inputs for an action whose entries have required inputs', () => {
      for (const [action, required] of [
        ['S3Download', "'source', 'destination'"], ['WebDownload', "'source', 'destination'"], ['CreateFile', "'path'"],
        ['DeleteFile', "'path'"], ['SetRegistry', "'path', 'name', 'value', 'type'"],
      ]) {
        expect(errorsOf(withSteps(`      - name: Step\n        action: ${action}\n        inputs: []\n`), Platform.WINDOWS)).toEqual([
          `phase 'build', step 'Step' (line 7): inputs of ${action} must list at least one map with ${required}, got []`,
        ]);
      }
      // AWSTOE is not known to reject an empty list of commands.
      expect(errorsOf(withSteps('      - name: Run\n        action: ExecuteBash\n        inputs:\n          commands: []\n'))).toEqual([]);
    });

    test('fails on a list of inputs for an action that takes a map', () => {
      expect(errorsOf(withSteps('      - name: Run\n        action: ExecuteBash\n        inputs:\n          - commands: [id]\n')))
        .toEqual(['phase \'build\', step \'Run\' (line 8): inputs of ExecuteBash must be a map, got [{"commands":["id"]}]']);
    });

    test('warns, not fails, on an unknown input of an action whose documented inputs may be incomplete', () => {
      expect(findingsOf(withSteps('      - name: Remove\n        action: DeleteFile\n        inputs:\n          - path: /tmp/a\n            recursive: true\n')))
        .toEqual([{
          severity: 'warning',
          line: 9,
          message: "phase 'build', step 'Remove' (line 9): unknown input 'recursive' of DeleteFile; its inputs are path, force",
        }]);
    });

    test('shortens a long value in a message', () => {
      const long = 'x'.repeat(80);
      expect(errorsOf(withSteps(`      - name: Run\n        action: ExecuteBash\n        inputs:\n          commands: ${long}\n`)))
        .toEqual([`phase 'build', step 'Run' (line 8): input 'commands' of ExecuteBash must be a list, got "${'x'.repeat(56)}...`]);
    });

    test('fails on an item of an input list that is not a map', () => {
      expect(errorsOf(withSteps('      - name: MakeFolder\n        action: CreateFolder\n        inputs:\n          - /tmp/a\n')))
        .toEqual(["phase 'build', step 'MakeFolder' (line 8): each input of CreateFolder must be a map, got \"/tmp/a\""]);
    });

    test('fails on a loop for whose start, end or updateBy is not a whole number', () => {
      const loop = (start: string) => withSteps('      - name: Count\n        action: ExecuteBash\n        loop:\n          for:\n'
        + `            start: ${start}\n            end: 2\n            updateBy: 1\n        inputs:\n          commands: [id]\n`);
      expect(errorsOf(loop('a'))).toEqual([
        'phase \'build\', step \'Count\' (line 8): loop for needs whole numbers start, end and updateBy, got {"start":"a","end":2,"updateBy":1}',
      ]);
      expect(errorsOf(loop('0.5')).join('\n')).toMatch(/loop for needs whole numbers start, end and updateBy, got \{"start":0.5,/);
      // An expression is resolved when the step runs: only the reference itself is checked.
      expect(errorsOf(loop("'{{ First }}'"))).toEqual([
        "phase 'build', step 'Count' (line 8): '{{ First }}' is not a declared parameter or constant, a loop variable or an earlier step's output",
      ]);
    });
  });

  test('fails on a loop with both for and forEach, or a zero step', () => {
    const withLoop = (loop: string) => VALID.replace('        action: CreateFolder', `        action: CreateFolder\n        loop:\n${loop}`);
    expect(errorsOf(withLoop('          forEach: [a]\n          for: {start: 1, end: 2, updateBy: 1}')).join('\n'))
      .toMatch(/loop must have exactly one of for or forEach/);
    expect(errorsOf(withLoop('          for: {start: 1, end: 2, updateBy: 0}')).join('\n')).toMatch(/loop for updateBy must not be 0/);
    expect(errorsOf(withLoop('          for: {start: 5, end: 1, updateBy: 1}')).join('\n')).toMatch(/never reaches its end/);
    expect(errorsOf(withLoop('          forEach: []')).join('\n')).toMatch(/loop forEach must be a non-empty list/);
  });

  test('a forEach delimiter or an if step action known only at deployment or when AWSTOE runs is not checked', () => {
    const parameter = new CfnParameter(stack, 'Delimiter').valueAsString;
    const document = new ComponentDocument({ name: 'later' });
    document.addParameter('Then', { defaultValue: 'Execute' });
    document.addSteps(ComponentPhaseName.BUILD,
      ComponentStep.executeBash('Split', { commands: ['echo {{ loop.value }}'], loop: StepLoop.forEachSplit('a,b', parameter) }),
      ComponentStep.executeBash('Split2', { commands: ['echo {{ loop.value }}'], loop: StepLoop.forEachSplit('a,b', '{{ Then }}') }),
      ComponentStep.executeBash('Maybe', { commands: ['echo'], condition: StepCondition.fromObject({ binaryExists: 'dnf', then: parameter }) }),
      ComponentStep.executeBash('Maybe2', { commands: ['echo'], condition: StepCondition.fromObject({ binaryExists: 'dnf', else: '{{ Then }}' }) }));
    expect(document.validate({ platform: Platform.LINUX })).toEqual([]);
  });

  test('fails on a forEach delimiter of more than one character, and warns on one AWSTOE does not document', () => {
    const withSplit = (delimiter: string) => VALID.replace('        action: CreateFolder',
      `        action: CreateFolder\n        loop:\n          forEach:\n            list: a;b\n            delimiter: ${delimiter}`);
    expect(ComponentDocument.fromYaml(withSplit("';'")).validate()).toEqual([]);
    expect(errorsOf(withSplit("'||'"))).toEqual([
      "phase 'build', step 'MakeFolder' (line 19): loop forEach delimiter must be one character, got \"||\"",
    ]);
    const pipe = ComponentDocument.fromYaml(withSplit("'|'")).validate();
    expect(pipe.map((f) => `${f.severity}: ${f.message}`)).toEqual([
      "warning: phase 'build', step 'MakeFolder' (line 19): AWSTOE documents these forEach delimiters: " +
      '"." "," ";" ":" "\\n" "\\t" " " "-" "_", got "|"',
    ]);
  });

  test('fails on a chaining expression in a for loop start, end or updateBy; a parameter is fine', () => {
    const withFor = (end: string) => VALID.replace('        action: ExecuteBash\n', '        action: ExecuteBash\n        loop:\n          for:\n'
      + `            start: 1\n            end: ${end}\n            updateBy: 1\n`);
    expect(errorsOf(withFor("'{{ build.MakeFolder.inputs[0].path }}'"))).toEqual([
      "phase 'build', step 'Install' (line 23): loop for end must be a whole number or a parameter, got '{{ build.MakeFolder.inputs[0].path }}': "
      + 'AWSTOE does not accept chaining expressions in start, end or updateBy',
    ]);
    expect(errorsOf(withFor("'{{ Version }}'"))).toEqual([]);
  });

  test('warns on CreateSymlink on Windows, which the AWSTOE guide both lists for Windows and says it does not support', () => {
    const link = 'schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Link\n        action: CreateSymlink\n'
      + '        inputs:\n          - path: C:\\link\n            target: C:\\target\n';
    const windows = ComponentDocument.fromYaml(link).validate({ platform: Platform.WINDOWS });
    expect(windows.filter((f) => f.severity === 'error')).toEqual([]);
    expect(windows.map((f) => f.message)).toEqual([
      "phase 'build', step 'Link' (line 6): action 'CreateSymlink' on Windows: the AWSTOE guide both lists it for Windows and says " +
      '"This module is not supported on Windows platforms"; check that the step runs before relying on it',
    ]);
    expect(ComponentDocument.fromYaml(link).validate({ platform: Platform.LINUX })).toEqual([]);
  });

  test('fails on CreateFile and CreateFolder owner, group and permissions on Windows, where AWSTOE returns an error', () => {
    const create = (action: string) => `schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Make\n        action: ${action}\n`
      + '        inputs:\n          - path: C:\\app\n            owner: admin\n            group: admins\n            permissions: 0700\n';
    for (const action of ['CreateFile', 'CreateFolder']) {
      expect(errorsOf(create(action), Platform.WINDOWS)).toEqual(['owner', 'group', 'permissions'].map((input, k) =>
        `phase 'build', step 'Make' (line ${9 + k}): input '${input}' of ${action} is not supported on Windows: AWSTOE returns an error when it is used there`));
      expect(errorsOf(create(action), Platform.LINUX)).toEqual([]);
      expect(errorsOf(create(action))).toEqual([]);
    }
  });

  test('fails on an action that does not run on the platform', () => {
    expect(errorsOf(VALID.replace('action: ExecuteBash', 'action: ExecutePowerShell'), Platform.LINUX).join('\n'))
      .toMatch(/step 'Install' \(line 19\): action 'ExecutePowerShell' does not run on Linux/);
  });

  test('warns, not fails, on what AWSTOE may accept', () => {
    const findings = ComponentDocument.fromYaml(VALID.replace('echo installing', 'docker inspect -f {{.State}}; echo'))
      .validate({ platform: Platform.LINUX });
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(findings.map((f) => f.message).join('\n')).toMatch(/'\{\{ .State \}\}' is not a reference this library can check/);
  });
});

describe('document validation in Component', () => {
  test('fails synthesis with every error listed', () => {
    const broken = VALID.replace('action: ExecuteBash', 'action: ExecuteBsh').replace("'{{ Folder }}'", "'{{ Nope }}'");
    expect(() => new Component(stack, 'Component', { platform: Platform.LINUX, data: ComponentData.fromInline(broken) }))
      .toThrow(/component document has 2 errors:\n {2}- phase 'build', step 'MakeFolder' \(line 17\): '\{\{ Nope \}\}'.*\n {2}- phase 'build', step 'Install' \(line 19\): unknown action 'ExecuteBsh'/);
  });

  test('names the file of an asset document', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'doc-')), 'broken.yml');
    fs.writeFileSync(file, VALID.replace('action: ExecuteBash', 'action: ExecuteBsh'));
    expect(() => new Component(stack, 'Component', { platform: Platform.LINUX, data: ComponentData.fromAsset(file) }))
      .toThrow(/component document '.*broken\.yml' has 1 error:\n {2}- phase 'build', step 'Install' \(line 19\): unknown action 'ExecuteBsh'/);
  });

  test('checks the platform of the component', () => {
    expect(() => new Component(stack, 'Component', {
      platform: Platform.WINDOWS,
      data: ComponentData.fromInline(VALID),
    })).toThrow(/action 'ExecuteBash' does not run on Windows/);
  });

  test('warnings become construct warnings', () => {
    new Component(stack, 'Component', {
      platform: Platform.LINUX,
      data: ComponentData.fromInline(VALID.replace('echo installing', 'docker inspect -f {{.State}}; echo')),
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Component', Match.stringLikeRegexp('is not a reference this library can check'));
  });

  test('fails synthesis on a YAML syntax error in inline text, naming the line', () => {
    expect(() => new Component(stack, 'Component', {
      platform: Platform.LINUX,
      data: ComponentData.fromInline('schemaVersion: 1.0\nphases:\n  - name: build: x\n'),
    })).toThrow(/component document has 1 error:\n {2}- line 3: YAML syntax error: Nested mappings are not allowed in compact mappings\n/);
  });

  test('validateDocument: false turns the check off', () => {
    const broken = VALID.replace('action: ExecuteBash', 'action: ExecuteBsh');
    expect(() => new Component(stack, 'Component', {
      platform: Platform.LINUX,
      data: ComponentData.fromInline(broken),
      validateDocument: false,
    })).not.toThrow();
  });
});

describe('large documents from YAML text', () => {
  /** A 1,000-step document as text, with one line of it replaced. */
  function largeDocumentLines(): string[] {
    const document = new ComponentDocument({ name: 'large' });
    document.addParameter('Greeting', { defaultValue: 'hello' });
    for (let i = 0; i < 1000; i++) {
      document.addSteps(ComponentPhaseName.BUILD, ComponentStep.executeBash(`Step${i}`, {
        commands: [`echo "{{ Greeting }} from step ${i}"`, i > 0 ? `echo "{{ build.Step${i - 1}.outputs.stdout }}"` : 'true'],
      }));
    }
    return document.toYaml().split('\n');
  }

  /** The 1-based line of `action:` in the step with this name. */
  function actionLineOf(lines: string[], stepName: string): number {
    const nameIndex = lines.indexOf(`      - name: ${stepName}`);
    expect(lines[nameIndex + 1]).toBe('        action: ExecuteBash');
    return nameIndex + 2;
  }

  test('a valid one has no findings', () => {
    expect(ComponentDocument.fromYaml(largeDocumentLines().join('\n')).validate({ platform: Platform.LINUX })).toEqual([]);
  });

  test('a finding names its step and line', () => {
    const lines = largeDocumentLines();
    const line = actionLineOf(lines, 'Step700');
    lines[line - 1] = '        action: ExecuteBsh';

    const errors = ComponentDocument.fromYaml(lines.join('\n')).validate({ platform: Platform.LINUX }).filter((f) => f.severity === 'error');

    expect(errors).toEqual([{
      severity: 'error',
      line,
      message: `phase 'build', step 'Step700' (line ${line}): unknown action 'ExecuteBsh'; did you mean 'ExecuteBash'? see the AWSTOE action modules for the list`,
    }]);
  });

  test('a finding has the same line whether or not the text is plain block YAML', () => {
    const lines = largeDocumentLines();
    lines[actionLineOf(lines, 'Step500') - 1] = '        action: ExecuteBsh';
    lines[lines.indexOf('      - name: Step900') + 4] = '            - echo "{{ Undeclared }}"';
    const plain = lines.join('\n');
    // A comment after a value is YAML the fast reader leaves to the `yaml` library; the lines stay put.
    const withTrailingComment = plain.replace('name: large', 'name: large # a comment');

    expect(parseSimpleYaml(plain)).toBeDefined();
    expect(parseSimpleYaml(withTrailingComment)).toBeUndefined();

    const findings = ComponentDocument.fromYaml(plain).validate({ platform: Platform.LINUX });

    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/^phase 'build', step 'Step500' \(line \d+\): unknown action 'ExecuteBsh'/),
      expect.stringMatching(/^phase 'build', step 'Step900' \(line \d+\): '\{\{ Undeclared \}\}' is not a declared parameter/),
    ]);
    expect(ComponentDocument.fromYaml(withTrailingComment).validate({ platform: Platform.LINUX })).toEqual(findings);
  });

  test('a YAML syntax error names its line', () => {
    const lines = largeDocumentLines();
    const line = actionLineOf(lines, 'Step800');
    lines[line - 1] = '        action: ExecuteBash: now';

    expect(() => ComponentDocument.fromYaml(lines.join('\n')))
      .toThrow(`component document is not valid YAML: line ${line}: YAML syntax error: Nested mappings are not allowed in compact mappings`);
  });

  test('a Component reading it from a file fails synthesis naming the step and line', () => {
    const lines = largeDocumentLines();
    const line = actionLineOf(lines, 'Step999');
    lines[line - 1] = '        action: ExecuteBsh';
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'doc-')), 'large.yml');
    fs.writeFileSync(file, lines.join('\n'));

    expect(() => new Component(stack, 'Component', { platform: Platform.LINUX, data: ComponentData.fromAsset(file) }))
      .toThrow(new RegExp(`has 1 error:\\n {2}- phase 'build', step 'Step999' \\(line ${line}\\): unknown action 'ExecuteBsh'`));
  });
});

describe('ComponentData.fromShellScript', () => {
  test('wraps a script into a build document', () => {
    new Component(stack, 'Component', {
      platform: Platform.LINUX,
      data: ComponentData.fromShellScript('#!/bin/bash\nset -e\ndnf install -y jq\n', { documentName: 'install-jq' }),
    });

    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component'));
    expect(resource.Properties.Data).toMatch(/^name: install-jq\nschemaVersion: 1\.0\n/);
    expect(yaml.parse(resource.Properties.Data)).toEqual({
      name: 'install-jq',
      schemaVersion: 1,
      phases: [{ name: 'build', steps: [{ name: 'RunScript', action: 'ExecuteBash', inputs: { commands: ['#!/bin/bash\nset -e\ndnf install -y jq\n'] } }] }],
    });
    expectValidTemplate(stack);
  });

  test('a TEST PowerShell script from a file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'script-')), 'check.ps1');
    fs.writeFileSync(file, 'Get-Service sshd\n');
    new Component(stack, 'Component', {
      platform: Platform.WINDOWS,
      data: ComponentData.fromShellScriptFile(file, { type: ShellScriptType.TEST, shell: ScriptShell.POWERSHELL, stepName: 'CheckSshd' }),
    });

    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component'));
    expect(yaml.parse(resource.Properties.Data).phases).toEqual([
      { name: 'test', steps: [{ name: 'CheckSshd', action: 'ExecutePowerShell', inputs: { commands: ['Get-Service sshd\n'] } }] },
    ]);
  });

  test('fails when the script file is missing', () => {
    expect(() => new Component(stack, 'Component', { platform: Platform.LINUX, data: ComponentData.fromShellScriptFile('missing.sh') }))
      .toThrow(/shell script file 'missing\.sh' does not exist/);
  });

  test('an inline TEST script runs in the test phase, and is validated', () => {
    new Component(stack, 'Component', {
      platform: Platform.LINUX,
      data: ComponentData.fromShellScript('curl -sf http://localhost/health\n', { type: ShellScriptType.TEST, stepName: 'Health' }),
    });

    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component'));
    expect(resource.Properties.Data).toMatch(/^schemaVersion: 1\.0\n/);
    expect(yaml.parse(resource.Properties.Data).phases).toEqual([
      { name: 'test', steps: [{ name: 'Health', action: 'ExecuteBash', inputs: { commands: ['curl -sf http://localhost/health\n'] } }] },
    ]);
    expect(() => new Component(stack, 'BadStep', {
      platform: Platform.LINUX,
      data: ComponentData.fromShellScript('true', { type: ShellScriptType.TEST, stepName: 'Bad step' }),
    })).toThrow(/phase 'test', step 'Bad step': step name 'Bad step' is not allowed/);
  });

  test('a BUILD bash script from a file runs in the build phase, and is validated', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'script-')), 'install.sh');
    fs.writeFileSync(file, '#!/bin/bash\ndnf install -y jq\n');
    new Component(stack, 'Component', {
      platform: Platform.LINUX,
      data: ComponentData.fromShellScriptFile(file, { type: ShellScriptType.BUILD, shell: ScriptShell.BASH }),
    });

    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component'));
    expect(yaml.parse(resource.Properties.Data).phases).toEqual([
      { name: 'build', steps: [{ name: 'RunScript', action: 'ExecuteBash', inputs: { commands: ['#!/bin/bash\ndnf install -y jq\n'] } }] },
    ]);
    expect(() => new Component(stack, 'OnWindows', { platform: Platform.WINDOWS, data: ComponentData.fromShellScriptFile(file, { shell: ScriptShell.BASH }) }))
      .toThrow(/phase 'build', step 'RunScript': action 'ExecuteBash' does not run on Windows/);
  });

  test('fails when a bash script is used on Windows', () => {
    expect(() => new Component(stack, 'Component', { platform: Platform.WINDOWS, data: ComponentData.fromShellScript('echo hi', { shell: ScriptShell.BASH }) }))
      .toThrow(/action 'ExecuteBash' does not run on Windows/);
  });

  test('without a shell, a script runs in the shell of the component\'s platform, inline or from a file, with files too', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'script-')), 'check.ps1');
    fs.writeFileSync(file, 'Get-Service sshd\n');
    const script = ComponentData.fromShellScript('Write-Output hi');
    const components = [
      new Component(stack, 'Windows', { platform: Platform.WINDOWS, data: script }),
      new Component(stack, 'WindowsFile', { platform: Platform.WINDOWS, data: ComponentData.fromShellScriptFile(file) }),
      new Component(stack, 'WindowsWithFiles', {
        platform: Platform.WINDOWS, data: script, files: [ComponentFile.fromBucket(s3.Bucket.fromBucketName(stack, 'Bucket', 'tools'), 'a.zip', 'C:\\tools\\a.zip')],
      }),
      new Component(stack, 'Mac', { platform: Platform.MACOS, data: ComponentData.fromShellScript('echo hi') }),
    ];

    const resources = Template.fromStack(stack).toJSON().Resources;
    expect(components.map((component) => yaml.parse(resources[stack.getLogicalId(component.node.defaultChild as CfnComponent)].Properties.Data)
      .phases[0].steps.map((step: any) => step.action))).toEqual([
      ['ExecutePowerShell'], ['ExecutePowerShell'], ['S3Download', 'ExecutePowerShell'], ['ExecuteBash'],
    ]);
    expectValidTemplate(stack);
  });
});
