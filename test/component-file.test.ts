import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, BundlingOutput, DockerImage, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import * as yaml from 'yaml';
import {
  AwsManagedImage, Component, ComponentData, ComponentDocument, ComponentFile, ComponentPhaseName, ComponentStep, ContainerParentImage,
  ContainerRecipe, Image, ImagePipeline, ImageRecipe, InfrastructureConfiguration, ParentImage, Platform, ShellScriptType,
} from '../src';
import { expectValidTemplate } from './helpers/cfn-validate';
import { expectNoNagErrors } from './helpers/nag';

let app: App;
let stack: Stack;
let dir: string;
let configFile: string;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'component-file-'));
  configFile = path.join(dir, 'nginx.conf');
  fs.writeFileSync(configFile, 'worker_processes auto;\n');
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function installDocument(): ComponentDocument {
  const document = new ComponentDocument({ name: 'web' });
  document.addSteps(ComponentPhaseName.BUILD, ComponentStep.executeBash('Install', { commands: ['dnf install -y nginx'] }));
  return document;
}

function webComponent(files: ComponentFile[], data = ComponentData.fromDocument(installDocument())): Component {
  return new Component(stack, 'Web', { platform: Platform.LINUX, data, files });
}

/** The component's document as the template holds it, each phase's steps with the phase's name. */
function renderedSteps(): any[] {
  const component = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Component'))[0];
  return yaml.parse(component.Properties.Data).phases.flatMap((phase: any) => phase.steps.map((step: any) => ({ phase: phase.name, ...step })));
}

/** Where the default synthesizer puts file assets of this stack's environment. */
const ASSET_OBJECT = /^cdk-hnb659fds-assets-123456789012-us-east-1\/[0-9a-f]{64}\.conf$/;

function instancePolicyStatements(): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.entries(policies).filter(([id]) => id.includes('InstancePolicy'))
    .flatMap(([, policy]: [string, any]) => policy.Properties.PolicyDocument.Statement);
}

describe('Component files', () => {
  test('a local file is uploaded and downloaded by a first step, before the document\'s own', () => {
    webComponent([ComponentFile.fromAsset(configFile, '/etc/nginx/nginx.conf')]);

    const steps = renderedSteps();
    expect(steps.map((s) => s.name)).toEqual(['DownloadFiles', 'Install']);
    expect(steps[0]).toEqual({
      phase: 'build',
      name: 'DownloadFiles',
      action: 'S3Download',
      inputs: [{ source: expect.stringMatching(/^s3:\/\//), destination: '/etc/nginx/nginx.conf', overwrite: true }],
    });
    expect(steps[0].inputs[0].source.slice('s3://'.length)).toMatch(ASSET_OBJECT);
    expectValidTemplate(stack);
  });

  test('a test component downloads its files in its test phase', () => {
    webComponent([ComponentFile.fromAsset(configFile, '/tmp/expected.conf')],
      ComponentData.fromShellScript('diff /tmp/expected.conf /etc/nginx/nginx.conf', { type: ShellScriptType.TEST }));
    expect(renderedSteps().map((s) => `${s.phase}:${s.name}`)).toEqual(['test:DownloadFiles', 'test:RunScript']);
  });

  test('an object in S3, by bucket and key', () => {
    const bucket = s3.Bucket.fromBucketName(stack, 'Config', 'platform-config');
    webComponent([ComponentFile.fromBucket(bucket, 'web/nginx.conf', '/etc/nginx/nginx.conf')]);
    expect(renderedSteps()[0].inputs).toEqual([{ source: 's3://platform-config/web/nginx.conf', destination: '/etc/nginx/nginx.conf', overwrite: true }]);
  });

  test('a pipeline\'s build instances may read exactly the files, and nothing else is granted', () => {
    const component = webComponent([ComponentFile.fromAsset(configFile, '/etc/nginx/nginx.conf')]);
    const recipe = new ImageRecipe(stack, 'Recipe', {
      parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
      components: [{ component }],
    });
    new ImagePipeline(stack, 'Pipeline', { imageRecipe: recipe });

    const statements = instancePolicyStatements();
    expect(statements).toEqual([{
      Action: 's3:GetObject',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, expect.stringMatching(/^:s3:::/)]] },
    }]);
    expect(statements[0].Resource['Fn::Join'][1][2].slice(':s3:::'.length)).toMatch(ASSET_OBJECT);
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('a component added to the recipe after the pipeline was created is granted too, as is an image\'s instance', () => {
    const infrastructure = new InfrastructureConfiguration(stack, 'Infrastructure');
    const recipe = new ImageRecipe(stack, 'Recipe', {
      parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
      components: [{ component: new Component(stack, 'Plain', { platform: Platform.LINUX, data: ComponentData.fromDocument(installDocument()) }) }],
    });
    new ImagePipeline(stack, 'Pipeline', { imageRecipe: recipe, infrastructureConfiguration: infrastructure });
    recipe.addComponent(webComponent([ComponentFile.fromAsset(configFile, '/etc/nginx/nginx.conf')]));
    new Image(stack, 'Image', { imageRecipe: recipe });

    expect(instancePolicyStatements().filter((s) => s.Action === 's3:GetObject')).toHaveLength(2);
    expectNoNagErrors(stack);
  });

  test('a bucket with a customer managed key: the instances may decrypt with it', () => {
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const bucket = new s3.Bucket(stack, 'Config', { encryptionKey: key, enforceSSL: true });
    const component = webComponent([ComponentFile.fromBucket(bucket, 'web/nginx.conf', '/etc/nginx/nginx.conf')]);
    const role = new iam.Role(stack, 'Runner', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    component.grantFilesRead(role);

    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statements.map((s: any) => s.Action)).toEqual(['s3:GetObject', 'kms:Decrypt']);
    expect(statements[1].Resource).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] });
  });

  test('a container recipe\'s build instances may read the files too', () => {
    const component = webComponent([ComponentFile.fromAsset(configFile, '/etc/nginx/nginx.conf')]);
    const recipe = new ContainerRecipe(stack, 'Recipe', {
      parentImage: ContainerParentImage.fromEcrPublic('public.ecr.aws/amazonlinux/amazonlinux:2023'),
      targetRepository: new ecr.Repository(stack, 'Repository'),
      components: [{ component }],
    });
    new ImagePipeline(stack, 'Pipeline', { containerRecipe: recipe });
    expect(instancePolicyStatements().some((s) => s.Action === 's3:GetObject')).toBe(true);
    expectNoNagErrors(stack);
  });

  test('an infrastructure configuration from outside the app is left alone, with a warning that says what to allow', () => {
    const component = webComponent([ComponentFile.fromAsset(configFile, '/etc/nginx/nginx.conf')]);
    const recipe = new ImageRecipe(stack, 'Recipe', {
      parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
      components: [{ component }],
    });
    new ImagePipeline(stack, 'Pipeline', {
      imageRecipe: recipe,
      infrastructureConfiguration: InfrastructureConfiguration.fromInfrastructureConfigurationName(stack, 'Shared', 'shared-builders'),
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Pipeline', Match.stringLikeRegexp(
      '^the infrastructure configuration was not created in this app: let its instance role allow downloading the files of component Stack/Web \\(s3:GetObject\\) yourself'));
  });

  test('without files nothing changes: no step, no grant', () => {
    const component = webComponent([]);
    const role = new iam.Role(stack, 'Runner', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    component.grantFilesRead(role);
    expect(renderedSteps().map((s) => s.name)).toEqual(['Install']);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('sharing a component with files warns that the accounts it is shared with must be able to read them; one without files shares quietly', () => {
    const bucket = s3.Bucket.fromBucketName(stack, 'Config', 'platform-config');
    webComponent([ComponentFile.fromBucket(bucket, 'web/nginx.conf', '/etc/nginx/nginx.conf')]).shareWith({ accounts: ['111111111111'] });
    new Component(stack, 'Plain', { platform: Platform.LINUX, data: ComponentData.fromDocument(installDocument()) }).shareWith({ accounts: ['111111111111'] });

    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => [w.id, w.entry.data])).toEqual([[
      '/Stack/Web',
      'the component is shared, but its first step, DownloadFiles, downloads its files from S3: builds in the accounts it is shared with ' +
      'fail there unless those accounts may read the objects (s3:GetObject, and kms:Decrypt for a bucket with a customer managed key); ' +
      "allow them in the bucket's policy, or share a component without files [ack: cdk-imagebuilder:sharedComponentFiles]",
    ]]);
  });

  describe('S3Download steps of the document', () => {
    function pipelineFor(component: Component): void {
      const recipe = new ImageRecipe(stack, 'Recipe', { parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023), components: [{ component }] });
      new ImagePipeline(stack, 'Pipeline', { imageRecipe: recipe });
    }

    test('the build instances may read each object the steps name, in a bucket of the app or from YAML text', () => {
      const bucket = new s3.Bucket(stack, 'Artifacts', { enforceSSL: true });
      NagSuppressions.addResourceSuppressions(bucket, [{ id: 'AwsSolutions-S1', reason: 'the bucket stands for one of the user\'s; its access logs are not under test' }]);
      const document = new ComponentDocument({ name: 'agent' });
      document.addSteps(ComponentPhaseName.BUILD, ComponentStep.s3Download('Fetch', {
        downloads: [{ source: `s3://${bucket.bucketName}/agent.rpm`, destination: '/tmp/agent.rpm' }],
      }));
      pipelineFor(new Component(stack, 'Agent', { platform: Platform.LINUX, data: ComponentData.fromDocument(document) }));
      new Component(stack, 'Text', {
        platform: Platform.LINUX,
        data: ComponentData.fromInline([
          'schemaVersion: 1.0', 'phases:', '  - name: build', '    steps:', '      - name: Fetch', '        action: S3Download', '        inputs:',
          '          - source: s3://platform-tools/bin/tool', '            destination: /usr/local/bin/tool',
        ].join('\n')),
      }).grantFilesRead(new iam.Role(stack, 'Runner', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }));

      expect(instancePolicyStatements()).toEqual([{
        Action: 's3:GetObject',
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: expect.stringMatching(/^Artifacts/) }, '/agent.rpm']] },
      }]);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^Runner') }],
        PolicyDocument: { Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::platform-tools/bin/tool']] } }] },
      });
      expectValidTemplate(stack);
      expectNoNagErrors(stack);
    });

    test('a source with a variable is left alone, and one that names a prefix warns that listing it is the user\'s to allow', () => {
      const document = new ComponentDocument({ name: 'agent' });
      document.addParameter('bucket', { defaultValue: 'tools' });
      document.addSteps(ComponentPhaseName.BUILD, ComponentStep.s3Download('Fetch', {
        downloads: [
          { source: 's3://{{ bucket }}/agent.rpm', destination: '/tmp/agent.rpm' },
          { source: 's3://platform-tools/config/*', destination: '/etc/agent/' },
        ],
      }));
      const component = new Component(stack, 'Agent', { platform: Platform.LINUX, data: ComponentData.fromDocument(document) });
      pipelineFor(component);

      expect(instancePolicyStatements()).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('/Stack/Agent', Match.anyValue()).map((w) => w.entry.data)).toEqual([
        "S3Download source 's3://platform-tools/config/*' fetches the objects under a prefix, which the instance role may not list or read: " +
        'allow s3:ListBucket on the bucket and s3:GetObject on the prefix to the roles of the instances that run this component ' +
        '[ack: cdk-imagebuilder:s3DownloadPrefix]',
      ]);
    });
  });

  test('fails for data given as text', () => {
    expect(() => webComponent([ComponentFile.fromAsset(configFile, '/etc/x')], ComponentData.fromInline('name: x\nschemaVersion: 1.0\nphases: []\n')))
      .toThrow('files needs data from a document model, ComponentData.fromDocument or fromShellScript, got data given as text, a file or S3; ' +
        'for YAML text use ComponentData.fromDocument(ComponentDocument.fromYaml(text))');
  });

  test.each([
    ['a missing file', () => ComponentFile.fromAsset(path.join(dir, 'missing.conf'), '/etc/x'), /^files\[0\] file '.*missing.conf' does not exist/],
    ['an object key that names a folder', () => ComponentFile.fromBucket(s3.Bucket.fromBucketName(stack, 'Config', 'platform-config'), 'web/', '/etc/x'),
      /^files\[0\] must name one object, got the key 'web\/', which ends with '\/'$/],
    ['an object key with a wildcard', () => ComponentFile.fromBucket(s3.Bucket.fromBucketName(stack, 'Config', 'platform-config'), 'tools/*', '/opt/x'),
      /^files\[0\] must name one object, got the key 'tools\/\*', which holds '\*': list each file instead$/],
    ['a blank destination', () => ComponentFile.fromBucket(s3.Bucket.fromBucketName(stack, 'Config', 'platform-config'), 'a', ' '),
      /^files\[0\] destination must be a path on the instance, got ' '$/],
    ['a blank asset destination', () => ComponentFile.fromAsset(configFile, '  '),
      /^files\[0\] destination must be a path on the instance, got ' {2}'$/],
  ])('fails for %s', (_, file, message) => {
    expect(() => webComponent([file()])).toThrow(message);
  });

  test('fails for a destination given twice', () => {
    const bucket = s3.Bucket.fromBucketName(stack, 'Config', 'platform-config');
    expect(() => webComponent([ComponentFile.fromBucket(bucket, 'a', '/etc/x'), ComponentFile.fromBucket(bucket, 'b', '/etc/x')]))
      .toThrow("files must each go to their own destination, got '/etc/x' twice");
  });

  test('fails when the first phase has a step named DownloadFiles already', () => {
    const document = new ComponentDocument({ name: 'web' });
    document.addSteps(ComponentPhaseName.BUILD, ComponentStep.executeBash('DownloadFiles', { commands: ['true'] }));
    expect(() => webComponent([ComponentFile.fromAsset(configFile, '/etc/x')], ComponentData.fromDocument(document)))
      .toThrow("files adds the step DownloadFiles first in phase 'build', which has a step of that name already; rename that step");
  });
});

describe('Component folders', () => {
  let site: string;

  beforeEach(() => {
    site = path.join(dir, 'site');
    fs.mkdirSync(path.join(site, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(site, 'index.html'), '<h1>hello</h1>\n');
    fs.writeFileSync(path.join(site, 'bin', 'start.sh'), '#!/bin/sh\necho started\n', { mode: 0o755 });
  });

  function folderComponent(platform: Platform, destination: string, files: ComponentFile[] = []): Component {
    const document = new ComponentDocument({ name: 'web' });
    document.addSteps(ComponentPhaseName.BUILD, platform === Platform.WINDOWS
      ? ComponentStep.executePowerShell('Install', { commands: ['Get-ChildItem C:\\site'] })
      : ComponentStep.executeBash('Install', { commands: ['ls /var/www/site'] }));
    return new Component(stack, 'Web', { platform, data: ComponentData.fromDocument(document), files: [...files, ComponentFile.fromAsset(site, destination)] });
  }

  /** Runs the commands of a rendered ExecuteBash step as AWSTOE does, one script, with only `tools` on the PATH. */
  function runBash(commands: string[], tools: string[]): { status: number; stderr: string } {
    const bin = fs.mkdtempSync(path.join(dir, 'bin-'));
    for (const tool of tools) {
      // python3 may be a version manager's shim, a script that needs more than this PATH.
      const found = tool === 'python3' ? ['python3', ['-c', 'import sys; print(sys.executable)']] as const : ['bash', ['-c', `command -v ${tool}`]] as const;
      fs.symlinkSync(execFileSync(found[0], found[1], { encoding: 'utf-8' }).trim(), path.join(bin, tool));
    }
    try {
      execFileSync('/bin/bash', ['-c', commands.join('\n')], { env: { PATH: bin }, stdio: ['ignore', 'pipe', 'pipe'] });
      return { status: 0, stderr: '' };
    } catch (e: any) {
      return { status: e.status, stderr: e.stderr.toString() };
    }
  }

  /** The folder zipped as the asset publisher zips it, at the path the component downloads it to. */
  function downloadedArchive(archive: string): void {
    fs.mkdirSync(path.dirname(archive), { recursive: true });
    execFileSync('python3', ['-m', 'zipfile', '-c', archive, 'index.html', 'bin'], { cwd: site });
  }

  test('a local folder is uploaded as a zip archive, downloaded beside its destination and unpacked into it', () => {
    folderComponent(Platform.LINUX, '/var/www/site/');

    const steps = renderedSteps();
    expect(steps.map((s) => s.name)).toEqual(['DownloadFiles', 'UnpackFolders', 'Install']);
    expect(steps[0].inputs).toEqual([{ source: expect.stringMatching(/^s3:\/\/cdk-hnb659fds-assets-123456789012-us-east-1\/[0-9a-f]{64}\.zip$/), destination: '/var/www/site.zip', overwrite: true }]);
    expect(steps[1]).toMatchObject({ phase: 'build', action: 'ExecuteBash' });
    expect(steps[1].inputs.commands.at(-1)).toBe("unpack '/var/www/site.zip' '/var/www/site/'");
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('the unpacking step puts the files in place with unzip, keeping file modes, and deletes the archive', () => {
    const instance = path.join(dir, 'instance');
    folderComponent(Platform.LINUX, path.join(instance, 'site'));
    downloadedArchive(path.join(instance, 'site.zip'));

    expect(runBash(renderedSteps()[1].inputs.commands, ['unzip', 'mkdir', 'rm'])).toEqual({ status: 0, stderr: '' });

    expect(fs.readFileSync(path.join(instance, 'site', 'index.html'), 'utf-8')).toBe('<h1>hello</h1>\n');
    const mode = fs.statSync(path.join(instance, 'site', 'bin', 'start.sh')).mode.toString(8);
    expect(mode.slice(-3)).toBe('755');
    expect(fs.existsSync(path.join(instance, 'site.zip'))).toBe(false);
  });

  test('the unpacking step falls back to Python 3 where unzip is missing, and fails naming both where neither is there', () => {
    const instance = path.join(dir, "it's here");
    folderComponent(Platform.LINUX, path.join(instance, 'site'));
    const commands = renderedSteps()[1].inputs.commands;
    downloadedArchive(path.join(instance, 'site.zip'));

    expect(runBash(commands, ['python3', 'mkdir', 'rm'])).toEqual({ status: 0, stderr: '' });
    expect(fs.readFileSync(path.join(instance, 'site', 'index.html'), 'utf-8')).toBe('<h1>hello</h1>\n');
    expect(fs.existsSync(path.join(instance, 'site.zip'))).toBe(false);

    downloadedArchive(path.join(instance, 'site.zip'));
    expect(runBash(commands, ['mkdir', 'rm'])).toEqual({
      status: 1,
      stderr: `UnpackFolders: unpacking ${path.join(instance, 'site.zip')} needs unzip or python3 on the instance\n`,
    });
  });

  test('a Windows component unpacks with Expand-Archive, quoting the paths for PowerShell', () => {
    folderComponent(Platform.WINDOWS, "C:\\Program Files\\Bob's site\\");

    const steps = renderedSteps();
    expect(steps.map((s) => s.name)).toEqual(['DownloadFiles', 'UnpackFolders', 'Install']);
    expect(steps[0].inputs[0].destination).toBe("C:\\Program Files\\Bob's site.zip");
    expect(steps[1]).toEqual({
      phase: 'build',
      name: 'UnpackFolders',
      action: 'ExecutePowerShell',
      inputs: {
        commands: [
          "$ErrorActionPreference = 'Stop'",
          "Expand-Archive -LiteralPath 'C:\\Program Files\\Bob''s site.zip' -DestinationPath 'C:\\Program Files\\Bob''s site\\' -Force",
          "Remove-Item -LiteralPath 'C:\\Program Files\\Bob''s site.zip' -Force",
        ],
      },
    });
  });

  test('files and folders are all downloaded by the first step, and a .zip file stays a file', () => {
    const archive = path.join(dir, 'tools.zip');
    fs.writeFileSync(archive, 'PK');
    folderComponent(Platform.LINUX, '/var/www/site', [ComponentFile.fromAsset(configFile, '/etc/nginx/nginx.conf'), ComponentFile.fromAsset(archive, '/opt/tools.zip')]);

    const steps = renderedSteps();
    expect(steps[0].inputs.map((d: any) => d.destination)).toEqual(['/etc/nginx/nginx.conf', '/opt/tools.zip', '/var/www/site.zip']);
    expect(steps[1].inputs.commands.filter((c: string) => c.startsWith('unpack '))).toEqual(["unpack '/var/www/site.zip' '/var/www/site'"]);
  });

  test.each([
    ['one file', BundlingOutput.SINGLE_FILE, 'app.js', 'main();\n'],
    ['one .zip archive', BundlingOutput.ARCHIVED, 'site.zip', 'PK'],
  ])('a folder that bundling turns into %s is downloaded as that file', (_, outputType, fileName, content) => {
    const bundled = ComponentFile.fromAsset(site, `/opt/${fileName}`, {
      bundling: {
        image: DockerImage.fromRegistry('unused-as-bundled-locally'),
        outputType,
        local: { tryBundle: (outputDir: string) => (fs.writeFileSync(path.join(outputDir, fileName), content), true) },
      },
    });
    webComponent([bundled]);

    const steps = renderedSteps();
    expect(steps.map((s) => s.name)).toEqual(['DownloadFiles', 'Install']);
    expect(steps[0].inputs).toEqual([{ source: expect.stringMatching(new RegExp(`${path.extname(fileName)}$`)), destination: `/opt/${fileName}`, overwrite: true }]);
  });

  test('a zip archive in S3 is downloaded beside its destination and unpacked into it, and the build instances may read it', () => {
    const bucket = s3.Bucket.fromBucketName(stack, 'Artifacts', 'build-artifacts');
    const component = webComponent([ComponentFile.fromBucketArchive(bucket, 'web/site-1.4.zip', '/var/www/site')]);
    const recipe = new ImageRecipe(stack, 'Recipe', { parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023), components: [{ component }] });
    new ImagePipeline(stack, 'Pipeline', { imageRecipe: recipe });

    const steps = renderedSteps();
    expect(steps.map((s) => s.name)).toEqual(['DownloadFiles', 'UnpackFolders', 'Install']);
    expect(steps[0].inputs).toEqual([{ source: 's3://build-artifacts/web/site-1.4.zip', destination: '/var/www/site.zip', overwrite: true }]);
    expect(steps[1].inputs.commands.at(-1)).toBe("unpack '/var/www/site.zip' '/var/www/site'");
    expect(instancePolicyStatements()).toContainEqual(expect.objectContaining({
      Action: 's3:GetObject',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::build-artifacts/web/site-1.4.zip']] },
    }));
  });

  test('the instances that build the component may read the archive', () => {
    const component = folderComponent(Platform.LINUX, '/var/www/site');
    const recipe = new ImageRecipe(stack, 'Recipe', { parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023), components: [{ component }] });
    new ImagePipeline(stack, 'Pipeline', { imageRecipe: recipe });

    const objects = instancePolicyStatements().filter((s) => s.Action === 's3:GetObject').flatMap((s) => [].concat(s.Resource));
    expect(JSON.stringify(objects)).toMatch(/[0-9a-f]{64}\.zip/);
  });

  test.each([
    ['an empty folder', () => fs.mkdirSync(path.join(dir, 'empty')), () => ComponentFile.fromAsset(path.join(dir, 'empty'), '/opt/empty'),
      /^files\[0\] folder '.*empty' has no file to upload \(empty folders, and files that exclude leaves out, are not zipped\): give a folder with files in it$/],
    ['a folder of empty folders', () => fs.mkdirSync(path.join(dir, 'empty', 'sub'), { recursive: true }),
      () => ComponentFile.fromAsset(path.join(dir, 'empty'), '/opt/empty'), /^files\[0\] folder '.*empty' has no file to upload/],
    ['a folder whose files exclude leaves out', () => {
      fs.mkdirSync(path.join(dir, 'docs'));
      fs.writeFileSync(path.join(dir, 'docs', 'a.txt'), 'a');
    },
    () => ComponentFile.fromAsset(path.join(dir, 'docs'), '/opt/docs', { exclude: ['*.txt'] }), /^files\[0\] folder '.*docs' has no file to upload/],
    ['a folder to the root', () => undefined, () => ComponentFile.fromAsset(dir, '/'),
      "files[0] is a folder, so its destination must name a folder to unpack it into, got '/'"],
    ['a folder to a drive', () => undefined, () => ComponentFile.fromAsset(dir, 'C:\\'),
      "files[0] is a folder, so its destination must name a folder to unpack it into, got 'C:\\'"],
    ['a blank folder destination', () => undefined, () => ComponentFile.fromAsset(dir, ' '),
      "files[0] destination must be a path on the instance, got ' '"],
  ])('fails for %s', (_, setUp, file, message) => {
    setUp();
    expect(() => webComponent([file()])).toThrow(message);
  });

  test('fails when a folder\'s archive would overwrite a file of the component', () => {
    expect(() => folderComponent(Platform.LINUX, '/opt/site', [ComponentFile.fromAsset(configFile, '/opt/site.zip')]))
      .toThrow("files must each go to their own destination, got '/opt/site.zip' twice (files[1] is a folder, downloaded as '/opt/site.zip' before it is unpacked)");
  });

  test('fails when the first phase has a step named UnpackFolders already', () => {
    const document = new ComponentDocument({ name: 'web' });
    document.addSteps(ComponentPhaseName.BUILD, ComponentStep.executeBash('UnpackFolders', { commands: ['true'] }));
    expect(() => webComponent([ComponentFile.fromAsset(site, '/var/www/site')], ComponentData.fromDocument(document)))
      .toThrow("files adds the step UnpackFolders first in phase 'build', which has a step of that name already; rename that step");
  });

  test('a document with a step named UnpackFolders is fine when no file is a folder', () => {
    const document = new ComponentDocument({ name: 'web' });
    document.addSteps(ComponentPhaseName.BUILD, ComponentStep.executeBash('UnpackFolders', { commands: ['true'] }));
    webComponent([ComponentFile.fromAsset(configFile, '/etc/x')], ComponentData.fromDocument(document));
    expect(renderedSteps().map((s) => s.name)).toEqual(['DownloadFiles', 'UnpackFolders']);
  });
});
