import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as yaml from 'yaml';
import {
  Component, ComponentData, ComponentDocument, ComponentPhaseName, ComponentStep, MsiReboot, Platform, StepOnFailure,
} from '../src';
import { expectValidTemplate } from './helpers/cfn-validate';

/** The one step of a document holding `step`, as AWSTOE reads it back from the YAML. */
function rendered(step: ComponentStep): any {
  return yaml.parse(documentWith(step).toYaml()).phases[0].steps[0];
}

function documentWith(...steps: ComponentStep[]): ComponentDocument {
  const document = new ComponentDocument();
  document.addSteps(ComponentPhaseName.BUILD, ...steps);
  return document;
}

function errorsOf(document: ComponentDocument, platform: Platform): string[] {
  return document.validate({ platform }).filter((f) => f.severity === 'error').map((f) => f.message);
}

describe('file system and installation steps', () => {
  test.each([
    ['copyFile', ComponentStep.copyFile('Copy', { source: '/tmp/app/*', destination: '/opt/app/', overwrite: false }),
      'CopyFile', [{ source: '/tmp/app/*', destination: '/opt/app/', overwrite: false }]],
    ['copyFolder', ComponentStep.copyFolder('CopyDir', { source: '/tmp/app', destination: '/opt/app' }),
      'CopyFolder', [{ source: '/tmp/app', destination: '/opt/app' }]],
    ['moveFile', ComponentStep.moveFile('Move', { source: '/tmp/app.conf', destination: '/etc/app.conf', overwrite: true }),
      'MoveFile', [{ source: '/tmp/app.conf', destination: '/etc/app.conf', overwrite: true }]],
    ['moveFolder', ComponentStep.moveFolder('MoveDir', { source: '/tmp/app', destination: '/opt/' }),
      'MoveFolder', [{ source: '/tmp/app', destination: '/opt/' }]],
    ['deleteFile', ComponentStep.deleteFile('Clean', { path: '/tmp/*.log' }),
      'DeleteFile', [{ path: '/tmp/*.log' }]],
    ['deleteFolder', ComponentStep.deleteFolder('CleanDir', { path: '/tmp/app', force: true }),
      'DeleteFolder', [{ path: '/tmp/app', force: true }]],
    ['appendFile', ComponentStep.appendFile('Append', { path: '/etc/hosts', content: '10.0.0.1 db', encoding: 'utf-8' }),
      'AppendFile', [{ path: '/etc/hosts', content: '10.0.0.1 db', encoding: 'utf-8' }]],
    ['createSymlink', ComponentStep.createSymlink('Link', { path: '/usr/local/bin/app', target: '/opt/app/bin/app', force: true }),
      'CreateSymlink', [{ path: '/usr/local/bin/app', target: '/opt/app/bin/app', force: true }]],
    ['setFilePermissions', ComponentStep.setFilePermissions('Chmod', { path: '/opt/app/run.sh', permissions: '0755' }),
      'SetFilePermissions', [{ path: '/opt/app/run.sh', permissions: '0755' }]],
    ['setFolderPermissions', ComponentStep.setFolderPermissions('ChmodDir', { path: '/opt/app', permissions: '0750', recursive: false }),
      'SetFolderPermissions', [{ path: '/opt/app', permissions: '0750', recursive: false }]],
    ['setFileOwner', ComponentStep.setFileOwner('Chown', { path: '/opt/app/run.sh', owner: 'app', group: 'apps' }),
      'SetFileOwner', [{ path: '/opt/app/run.sh', owner: 'app', group: 'apps' }]],
    ['setFolderOwner', ComponentStep.setFolderOwner('ChownDir', { path: '/opt/app', owner: 'app' }),
      'SetFolderOwner', [{ path: '/opt/app', owner: 'app' }]],
  ])('%s renders its action and inputs, and the document checks clean on Linux', (_factory, step, action, inputs) => {
    expect(rendered(step)).toEqual({ name: step.name, action, inputs });
    expect(documentWith(step).validate({ platform: Platform.LINUX })).toEqual([]);
  });

  test('readFile and listFiles give outputs that later steps may refer to', () => {
    const document = documentWith(
      ComponentStep.readFile('Read', { path: '/etc/os-release', encoding: 'utf-16', printFileContent: true }),
      ComponentStep.listFiles('Logs', { path: '/var/log', fileNamePattern: '*.log', recursive: true }),
      ComponentStep.setFileEncoding('Encode', { path: '/opt/app/notes.txt', encoding: 'utf-16-LE' }),
      ComponentStep.executeBash('Show', { commands: ['echo "{{ build.Read.outputs.content }}"', 'echo "{{ build.Logs.outputs.files }}"'] }));

    const steps = yaml.parse(document.toYaml()).phases[0].steps;
    expect(steps.slice(0, 3)).toEqual([
      { name: 'Read', action: 'ReadFile', inputs: [{ path: '/etc/os-release', encoding: 'utf-16', printFileContent: true }] },
      { name: 'Logs', action: 'ListFiles', inputs: [{ path: '/var/log', fileNamePattern: '*.log', recursive: true }] },
      { name: 'Encode', action: 'SetFileEncoding', inputs: [{ path: '/opt/app/notes.txt', encoding: 'utf-16-LE' }] },
    ]);
    expect(document.validate({ platform: Platform.LINUX })).toEqual([]);
  });

  test('executeDocument writes the inputs as AWSTOE names them: phases comma-separated, parameters as name and value', () => {
    const step = ComponentStep.executeDocument('Harden', {
      document: 's3://documents/hardening.yml',
      documentS3BucketOwner: '123456789012',
      phases: [ComponentPhaseName.BUILD, ComponentPhaseName.VALIDATE],
      parameters: { Level: 'high', Audit: 'true' },
    });

    expect(rendered(step)).toEqual({
      name: 'Harden',
      action: 'ExecuteDocument',
      inputs: {
        'document': 's3://documents/hardening.yml',
        'document-s3-bucket-owner': '123456789012',
        'phases': 'build,validate',
        'parameters': [{ name: 'Level', value: 'high' }, { name: 'Audit', value: 'true' }],
      },
    });
    expect(documentWith(step).validate({ platform: Platform.LINUX })).toEqual([]);
    expect(rendered(ComponentStep.executeDocument('Run', { document: '/tmp/doc.yml' })).inputs).toEqual({ document: '/tmp/doc.yml' });
  });

  test('fails an executeDocument with a timeout, which AWSTOE fixes for the action', () => {
    const errors = errorsOf(documentWith(ComponentStep.executeDocument('Run', { document: '/tmp/doc.yml', timeout: Duration.minutes(5) })), Platform.LINUX);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^phase 'build', step 'Run'.*timeoutSeconds/);
  });

  test.each([
    ['installMsi', 'InstallMSI', (props: any) => ComponentStep.installMsi('Install', props)],
    ['uninstallMsi', 'UninstallMSI', (props: any) => ComponentStep.uninstallMsi('Install', props)],
  ])('%s renders every input AWSTOE documents, and checks clean on Windows', (_factory, action, msi) => {
    const step = msi({
      path: 's3://installers/agent.msi',
      reboot: MsiReboot.SKIP,
      logOptions: '*V',
      logFile: 'C:\\logs\\agent.log',
      properties: { INSTALLDIR: 'C:\\Agent' },
      ignoreAuthenticodeSignatureErrors: false,
      allowUnsignedInstaller: true,
    });

    expect(rendered(step)).toEqual({
      name: 'Install',
      action,
      inputs: {
        path: 's3://installers/agent.msi',
        reboot: 'Skip',
        logOptions: '*V',
        logFile: 'C:\\logs\\agent.log',
        properties: { INSTALLDIR: 'C:\\Agent' },
        ignoreAuthenticodeSignatureErrors: false,
        allowUnsignedInstaller: true,
      },
    });
    expect(documentWith(step).validate({ platform: Platform.WINDOWS })).toEqual([]);
    expect(rendered(msi({ path: 'C:\\agent.msi' })).inputs).toEqual({ path: 'C:\\agent.msi' });
  });

  test('the settings every step has are rendered with the inputs', () => {
    const step = ComponentStep.deleteFolder('CleanDir', {
      path: '/tmp/app', onFailure: StepOnFailure.CONTINUE, timeout: Duration.minutes(2), maxAttempts: 3,
    });
    expect(rendered(step)).toEqual({
      name: 'CleanDir', action: 'DeleteFolder', onFailure: 'Continue', timeoutSeconds: 120, maxAttempts: 3, inputs: [{ path: '/tmp/app' }],
    });
  });

  test('a CreateSymlink step on Windows warns: the AWSTOE guide both lists it for Windows and says it is not supported there', () => {
    const findings = documentWith(ComponentStep.createSymlink('Link', { path: 'C:\\a', target: 'C:\\b' })).validate({ platform: Platform.WINDOWS });
    expect(findings.map((f) => f.severity)).toEqual(['warning']);
    expect(findings[0].message).toMatch(/^phase 'build', step 'Link'.*CreateSymlink' on Windows: the AWSTOE guide both lists it for Windows/);
  });

  test.each([
    ComponentStep.setFilePermissions('Chmod', { path: '/a', permissions: '0644' }),
    ComponentStep.setFolderPermissions('ChmodDir', { path: '/a', permissions: '0755' }),
    ComponentStep.setFileOwner('Chown', { path: '/a', owner: 'app' }),
    ComponentStep.setFolderOwner('ChownDir', { path: '/a', owner: 'app' }),
  ])('fails a component on Windows with the Linux-only step $name', (step) => {
    const errors = errorsOf(documentWith(step), Platform.WINDOWS);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^phase 'build', step '${step.name}'.*${step.action}.*Windows`));
  });

  test('fails a Linux component with an MSI step', () => {
    const errors = errorsOf(documentWith(ComponentStep.installMsi('Install', { path: '/tmp/a.msi' })), Platform.LINUX);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^phase 'build', step 'Install'.*InstallMSI.*Linux/);
  });

  test('fails an appendFile with an encoding AWSTOE does not know, naming the step', () => {
    const errors = errorsOf(documentWith(ComponentStep.appendFile('Append', { path: '/a', content: 'x', encoding: 'latin1' })), Platform.LINUX);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^phase 'build', step 'Append'.*encoding.*'latin1'/);
  });

  test('a component built from these steps synthesizes to a valid template', () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
    new Component(stack, 'Layout', {
      platform: Platform.LINUX,
      data: ComponentData.fromDocument(documentWith(
        ComponentStep.copyFolder('Stage', { source: '/tmp/app', destination: '/opt/app' }),
        ComponentStep.setFolderOwner('Own', { path: '/opt/app', owner: 'root' }),
        ComponentStep.setFilePermissions('Executable', { path: '/opt/app/run.sh', permissions: '0755' }),
        ComponentStep.createSymlink('Link', { path: '/usr/local/bin/app', target: '/opt/app/run.sh' }),
        ComponentStep.deleteFolder('Unstage', { path: '/tmp/app', force: true }),
      )),
    });

    const data = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component'))[0].Properties.Data;
    expect(yaml.parse(data).phases[0].steps.map((s: any) => s.action))
      .toEqual(['CopyFolder', 'SetFolderOwner', 'SetFilePermissions', 'CreateSymlink', 'DeleteFolder']);
    expectValidTemplate(stack);
  });
});
