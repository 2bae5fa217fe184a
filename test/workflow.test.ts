import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnWorkflow } from 'aws-cdk-lib/aws-imagebuilder';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import * as yaml from 'yaml';
import {
  AwsManagedWorkflow,
  IWorkflow,
  Platform,
  Workflow,
  WorkflowData,
  WorkflowParameterType,
  WorkflowProps,
  WorkflowType,
} from '../src';
import { inAwsPartition } from './helpers/arns';
import { expectValidTemplate } from './helpers/cfn-validate';
import { grantedResources } from './helpers/grants';
import { expectNoNagErrors } from './helpers/nag';
import { checkWorkflowParameters } from '../src/private/workflow-parameters';

const DOCUMENT = `name: build-with-pause
description: Builds an image and optionally waits before creating it
schemaVersion: 1.0
parameters:
  - name: waitForAction
    type: boolean
    default: false
  - name: imageTag
    type: string
steps:
  - name: LaunchBuildInstance
    action: LaunchInstance
    onFailure: Abort
    inputs:
      waitFor: ssmAgent
  - name: ApplyBuildComponents
    action: ExecuteComponents
    onFailure: Abort
    inputs:
      instanceId.$: $.stepOutputs.LaunchBuildInstance.instanceId
  - name: WaitBeforeImage
    action: WaitForAction
    if:
      booleanEquals: true
      value: $.parameters.waitForAction
  - name: CreateOutputAMI
    action: CreateImage
    onFailure: Abort
    rollbackEnabled: true
    timeoutSeconds: 3600
    inputs:
      instanceId.$: $.stepOutputs.LaunchBuildInstance.instanceId
  - name: TerminateBuildInstance
    action: TerminateInstance
    onFailure: Continue
    inputs:
      instanceId.$: $.stepOutputs.LaunchBuildInstance.instanceId
outputs:
  - name: ImageId
    value: $.stepOutputs.CreateOutputAMI.imageId
`;

const ENV = { account: '123456789012', region: 'us-east-1' };

let app: App;
let stack: Stack;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: ENV });
});

function newWorkflow(props: Partial<WorkflowProps> = {}, id = 'Workflow', scope: Stack = stack): Workflow {
  return new Workflow(scope, id, { workflowType: WorkflowType.BUILD, data: WorkflowData.fromInline(DOCUMENT), ...props });
}

/** A minimal document with the given steps. */
function documentWithSteps(...steps: object[]): WorkflowData {
  return WorkflowData.fromJsonObject({ schemaVersion: '1.0', steps });
}

/** A minimal document with the given parameters and one step. */
function documentWithParameters(...parameters: object[]): WorkflowData {
  return WorkflowData.fromJsonObject({ schemaVersion: '1.0', parameters, steps: [{ name: 'Launch', action: 'LaunchInstance' }] });
}

/** A workflow of the given type whose document has the given steps. */
function newWorkflowWithSteps(workflowType: WorkflowType, steps: object[], id = 'Workflow'): Workflow {
  return newWorkflow({ workflowType, data: documentWithSteps(...steps) }, id);
}

/** The stages the guide restricts some actions to; a workflow of each allowed type for each action. */
const RESTRICTED_ACTIONS: Array<[string, WorkflowType[]]> = [
  ['ExecuteComponents', [WorkflowType.BUILD, WorkflowType.TEST]],
  ['CollectImageScanFindings', [WorkflowType.TEST]],
  ['DistributeImage', [WorkflowType.DISTRIBUTION]],
  ['ModifyImageAttributes', [WorkflowType.DISTRIBUTION]],
  ['ApplyImageConfigurations', [WorkflowType.DISTRIBUTION]],
  ['DistributeContainerImage', [WorkflowType.DISTRIBUTION]],
];
const ALL_TYPES = [WorkflowType.BUILD, WorkflowType.TEST, WorkflowType.DISTRIBUTION];

/**
 * The largest timeoutSeconds of each action ("Supported step actions for your workflow document"),
 * with a workflow type the action may run in.
 */
const TIMEOUT_MAXIMA: Array<[string, number, WorkflowType]> = [
  ['WaitForSSMAgent', 10_800, WorkflowType.BUILD],
  ['ModifyImageAttributes', 10_800, WorkflowType.DISTRIBUTION],
  ['ExecuteComponents', 86_400, WorkflowType.BUILD],
  ['ExecuteStateMachine', 86_400, WorkflowType.TEST],
  ['CreateImage', 259_200, WorkflowType.BUILD],
  ['WaitForAction', 604_800, WorkflowType.BUILD],
  ['LaunchInstance', 43_200, WorkflowType.TEST],
  ['RunCommand', 43_200, WorkflowType.BUILD],
  ['TerminateInstance', 43_200, WorkflowType.BUILD],
  ['BootstrapInstanceForContainer', 43_200, WorkflowType.BUILD],
  ['CollectImageMetadata', 43_200, WorkflowType.BUILD],
  ['CollectImageScanFindings', 43_200, WorkflowType.TEST],
  ['CreateImageFromIso', 43_200, WorkflowType.BUILD],
  ['RegisterImage', 43_200, WorkflowType.BUILD],
  ['RunSysPrep', 43_200, WorkflowType.BUILD],
  ['SanitizeInstance', 43_200, WorkflowType.BUILD],
  ['DistributeImage', 43_200, WorkflowType.DISTRIBUTION],
  ['ApplyImageConfigurations', 43_200, WorkflowType.DISTRIBUTION],
  ['DistributeContainerImage', 43_200, WorkflowType.DISTRIBUTION],
];

/** `count` steps with distinct names. */
function launchSteps(count: number): object[] {
  return Array.from({ length: count }, (_, i) => ({ name: `Step${i + 1}`, action: 'WaitForAction' }));
}

function expectSynthesizesCleanly(scope: Stack = stack): void {
  expectValidTemplate(scope);
  expectNoNagErrors(scope);
}

function arnOf(workflow: IWorkflow, scope: Stack = stack): string {
  return inAwsPartition(scope.resolve(workflow.workflowArn));
}

/**
 * A grant covers the builds under a version (`.../1.0.0/*`), which cdk-nag flags on the grantee's
 * policy. The policy belongs to the user, so the user suppresses it, as here: at stack level, as
 * the role's policy is only created by the grant.
 */
function suppressBuildWildcards(): void {
  NagSuppressions.addStackSuppressions(stack, [{
    id: 'AwsSolutions-IAM5',
    reason: 'Image Builder names each build of a workflow version by a build number under the version ARN',
    appliesTo: [{ regex: '/^Resource::arn:.*:imagebuilder:.*:workflow\\/.*\\*$/' }],
  }]);
}

/** A role to grant to, with the builds under a version suppressed in cdk-nag (see `suppressBuildWildcards`). */
function newGranteeRole(): iam.Role {
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') });
  suppressBuildWildcards();
  return role;
}

function writeTempFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-test-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('Workflow', () => {
  test('all properties', () => {
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    newWorkflow({
      workflowType: WorkflowType.TEST,
      workflowName: 'my-workflow',
      workflowVersion: '2.3.4',
      description: 'builds with a pause',
      changeDescription: 'first version',
      kmsKey: key,
      tags: { team: 'platform' },
    });

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Workflow', Match.objectEquals({
      Name: 'my-workflow',
      Version: '2.3.4',
      Type: 'TEST',
      Data: DOCUMENT,
      Description: 'builds with a pause',
      ChangeDescription: 'first version',
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      Tags: { team: 'platform' },
    }));
    expectSynthesizesCleanly();
  });

  test('defaults: generated lowercase name, version 1.0.0, no optional properties', () => {
    newWorkflow();

    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Workflow'));
    expect(Object.keys(resource.Properties).sort()).toEqual(['Data', 'Name', 'Type', 'Version']);
    expect(resource.Properties.Version).toBe('1.0.0');
    expect(resource.Properties.Type).toBe('BUILD');
    expect(resource.Properties.Name).toMatch(/^[a-z0-9-]{3,128}$/);
    expect(resource.Properties.Name).toContain('workflow');
    expectSynthesizesCleanly();
  });

  test('generated names are deterministic and unique per construct', () => {
    newWorkflow({}, 'First');
    newWorkflow({}, 'Second');
    const names = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Workflow'))
      .map((r) => r.Properties.Name);

    const otherStack = new Stack(new App(), 'Stack', { env: ENV });
    newWorkflow({}, 'First', otherStack);
    const [again] = Object.values(Template.fromStack(otherStack).findResources('AWS::ImageBuilder::Workflow'))
      .map((r) => r.Properties.Name);

    expect(new Set(names).size).toBe(2);
    expect(again).toBe(names[0]);
    expectSynthesizesCleanly();
  });

  test.each([
    [WorkflowType.BUILD, 'BUILD', 'build'],
    [WorkflowType.TEST, 'TEST', 'test'],
    [WorkflowType.DISTRIBUTION, 'DISTRIBUTION', 'distribution'],
  ])('type %s is written as the service writes it, and lowercase in the ARN', (workflowType, cfnType, arnType) => {
    // A step that every stage allows.
    const workflow = newWorkflowWithSteps(workflowType, [{ name: 'Launch', action: 'LaunchInstance', inputs: { waitFor: 'ssmAgent' } }]);

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Workflow', { Type: cfnType });
    expect(JSON.stringify(stack.resolve(workflow.workflowArn))).toContain(`:workflow/${arnType}/`);
    expect(workflow.workflowType).toBe(workflowType);
    expectSynthesizesCleanly();
  });

  test('workflowArn is the version ARN, with the name taken from the build version ARN', () => {
    const workflow = newWorkflow({ workflowVersion: '1.2.3' });
    const logicalId = stack.getLogicalId(workflow.node.defaultChild as CfnWorkflow);
    const name = { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [logicalId, 'Arn'] }] }] };

    expect(stack.resolve(workflow.workflowArn)).toEqual({
      'Fn::Join': ['', [
        'arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:workflow/build/',
        name,
        '/1.2.3',
      ]],
    });
    expect(stack.resolve(workflow.workflowName)).toEqual(name);
    expect(workflow.workflowVersion).toBe('1.2.3');
    expect(stack.resolve(workflow.workflowBuildVersionArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
  });

  test('a content change keeps the ARN string, so references to the workflow do not change', () => {
    const before = stack.resolve(newWorkflow({ workflowName: 'stable' }).workflowArn);

    const otherStack = new Stack(new App(), 'Stack', { env: ENV });
    const changed = newWorkflow({
      workflowName: 'stable',
      data: WorkflowData.fromInline(DOCUMENT.replace('waitFor: ssmAgent', 'waitFor: none')),
    }, 'Workflow', otherStack);

    expect(Template.fromStack(otherStack).findResources('AWS::ImageBuilder::Workflow')).not.toEqual(
      Template.fromStack(stack).findResources('AWS::ImageBuilder::Workflow'));
    expect(otherStack.resolve(changed.workflowArn)).toEqual(before);
    expectSynthesizesCleanly();
    expectSynthesizesCleanly(otherStack);
  });

  test('a resource using the ARN depends on the workflow', () => {
    const workflow = newWorkflow();
    new iam.ManagedPolicy(stack, 'Policy', {
      statements: [new iam.PolicyStatement({ actions: ['imagebuilder:GetWorkflow'], resources: [workflow.workflowArn] })],
    });

    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'));
    const logicalId = stack.getLogicalId(workflow.node.defaultChild as CfnWorkflow);
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain(`"Fn::GetAtt":["${logicalId}","Arn"]`);
    expectSynthesizesCleanly();
  });

  test('isWorkflow, encryption and document attributes', () => {
    const workflow = newWorkflow();

    expect(Workflow.isWorkflow(workflow)).toBe(true);
    expect(Workflow.isWorkflow(Workflow.fromWorkflowName(stack, 'Imported', 'other', WorkflowType.BUILD))).toBe(false);
    expect(Workflow.isWorkflow(undefined)).toBe(false);
    expect(workflow.encrypted).toBe(true);
    expect(workflow.documentText).toBe(DOCUMENT);
    expect(workflow.documentParameters).toEqual([
      { name: 'waitForAction', parameterType: WorkflowParameterType.BOOLEAN, hasDefault: true },
      { name: 'imageTag', parameterType: WorkflowParameterType.STRING, hasDefault: false },
    ]);
  });

  test('Tags.of applies tags', () => {
    const workflow = newWorkflow();
    Tags.of(workflow).add('cost-center', '42');

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Workflow', { Tags: { 'cost-center': '42' } });
    expectSynthesizesCleanly();
  });

  describe('data', () => {
    test('fromInline puts the text in Data', () => {
      newWorkflow({ data: WorkflowData.fromInline(DOCUMENT) });

      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Workflow', { Data: DOCUMENT, Uri: Match.absent() });
      expectSynthesizesCleanly();
    });

    test('fromJsonObject renders YAML that parses back to the object', () => {
      const document = {
        schemaVersion: '1.0',
        parameters: [{ name: 'tags', type: 'stringList', default: ['a', 'b'] }],
        steps: [{ name: 'LaunchTestInstance', action: 'LaunchInstance', onFailure: 'Abort', inputs: { waitFor: 'ssmAgent' } }],
      };
      const workflow = newWorkflow({ workflowType: WorkflowType.TEST, data: WorkflowData.fromJsonObject(document) });

      const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Workflow'));
      // The version is written as AWS writes it, a plain 1.0, which YAML reads as the number 1.
      expect(resource.Properties.Data).toMatch(/^schemaVersion: 1\.0\n/);
      expect(yaml.parse(resource.Properties.Data)).toEqual({ ...document, schemaVersion: 1 });
      expect(workflow.documentParameters).toEqual([{ name: 'tags', parameterType: WorkflowParameterType.STRING_LIST, hasDefault: true }]);
      expectSynthesizesCleanly();
    });

    describe('containerBuildWithSetupCommands', () => {
      test('the steps of AWS\'s build-container workflow, with the commands run between the bootstrap and the components', () => {
        const workflow = newWorkflow({ data: WorkflowData.containerBuildWithSetupCommands(['docker login registry.example.com', "echo 'done'"]) });

        const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Workflow'));
        const launched = { 'instanceId.$': '$.stepOutputs.LaunchBuildInstance.instanceId' };
        expect(yaml.parse(resource.Properties.Data)).toEqual({
          name: 'build-container-with-setup',
          description: 'Builds a container image as AWS\'s build-container workflow does, after running setup commands on the build instance',
          schemaVersion: 1,
          steps: [
            { name: 'LaunchBuildInstance', action: 'LaunchInstance', onFailure: 'Abort', inputs: { waitFor: 'ssmAgent' } },
            {
              name: 'BootstrapBuildInstance',
              action: 'BootstrapInstanceForContainer',
              onFailure: 'Abort',
              if: { stringEquals: 'DOCKER', value: '$.imagebuilder.imageType' },
              inputs: launched,
            },
            {
              name: 'RunSetupCommands',
              action: 'RunCommand',
              onFailure: 'Abort',
              inputs: { documentName: 'AWS-RunShellScript', parameters: { commands: ['set -e', 'docker login registry.example.com', "echo 'done'"] }, ...launched },
            },
            { name: 'ApplyBuildComponents', action: 'ExecuteComponents', onFailure: 'Abort', inputs: launched },
          ],
          outputs: [{ name: 'InstanceId', value: '$.stepOutputs.LaunchBuildInstance.instanceId' }],
        });
        expect(resource.Properties.Data).toMatch(/^schemaVersion: 1\.0$/m);
        expect(workflow.documentParameters).toEqual([]);
        Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
        expectSynthesizesCleanly();
      });

      test('runs the commands in PowerShell on Windows', () => {
        newWorkflow({ data: WorkflowData.containerBuildWithSetupCommands(['docker login registry.example.com'], { platform: Platform.WINDOWS }) });
        const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Workflow'));
        expect(yaml.parse(resource.Properties.Data).steps[2].inputs).toMatchObject({
          documentName: 'AWS-RunPowerShellScript',
          parameters: { commands: ["$ErrorActionPreference = 'Stop'", 'docker login registry.example.com', 'if ($LASTEXITCODE) { exit $LASTEXITCODE }'] },
        });
      });

      test('the shell script stops at the first command that fails, as the Systems Manager document runs it', () => {
        newWorkflow({ data: WorkflowData.containerBuildWithSetupCommands(['false', 'echo "setup done"']) });
        const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Workflow'));
        const script = yaml.parse(resource.Properties.Data).steps[2].inputs.parameters.commands.join('\n');

        // AWS-RunShellScript writes the lines to a file and runs it with sh.
        const run = spawnSync('sh', ['-c', script], { encoding: 'utf-8' });
        expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 1, stdout: '' });
      });

      test.each([
        ['no commands', () => newWorkflow({ data: WorkflowData.containerBuildWithSetupCommands([]) }),
          'containerBuildWithSetupCommands needs at least one command, got none'],
        ['a blank command', () => newWorkflow({ data: WorkflowData.containerBuildWithSetupCommands(['true', ' ']) }),
          'containerBuildWithSetupCommands commands must each be a command, got a blank one at [1]'],
        ['macOS', () => newWorkflow({ data: WorkflowData.containerBuildWithSetupCommands(['true'], { platform: Platform.MACOS }) }),
          "containerBuildWithSetupCommands platform must be Linux or Windows, as container images are, got 'macOS'"],
        ['a test workflow', () => newWorkflow({ workflowType: WorkflowType.TEST, data: WorkflowData.containerBuildWithSetupCommands(['true']) }),
          'workflowType must be BUILD for data from WorkflowData.containerBuildWithSetupCommands, got TEST'],
      ])('fails for %s', (_, make, message) => {
        expect(make).toThrow(message);
      });
    });

    test('fromJsonObject writes out an object used twice in full, with no YAML anchor or alias', () => {
      const inputs = { 'instanceId.$': '$.stepOutputs.Launch.instanceId' };
      newWorkflow({
        data: WorkflowData.fromJsonObject({
          schemaVersion: '1.0',
          steps: [{ name: 'Launch', action: 'LaunchInstance' }, { name: 'Run', action: 'ExecuteComponents', inputs }, { name: 'Stop', action: 'TerminateInstance', inputs }],
        }),
      });

      const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Workflow'));
      expect(resource.Properties.Data).not.toMatch(/[&*]a1/);
      expect(resource.Properties.Data.match(/inputs:\n {6}instanceId\.\$: \$\.stepOutputs\.Launch\.instanceId\n/g)).toHaveLength(2);
    });

    test('fromJsonObject writes a schemaVersion given as the number 1.0 as 1.0, not 1', () => {
      newWorkflow({ data: WorkflowData.fromJsonObject({ schemaVersion: 1.0, steps: [{ name: 'Launch', action: 'LaunchInstance' }] }) });

      const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Workflow'));
      expect(resource.Properties.Data).toMatch(/^schemaVersion: 1\.0\n/);
    });

    test('fromAsset uploads the file, points Uri at it and checks its content', () => {
      const file = writeTempFile('workflow.yml', DOCUMENT);
      const workflow = newWorkflow({ data: WorkflowData.fromAsset(file) });

      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Workflow', {
        Uri: Match.stringLikeRegexp('^s3://cdk-[a-z0-9]+-assets-123456789012-us-east-1/[0-9a-f]{64}\\.yml$'),
        Data: Match.absent(),
      });
      expect(workflow.documentText).toBe(DOCUMENT);
      expect(workflow.documentParameters).toHaveLength(2);
      expectSynthesizesCleanly();
    });

    test('one asset data can serve two workflows', () => {
      const data = WorkflowData.fromAsset(writeTempFile('workflow.yml', DOCUMENT));
      newWorkflow({ data }, 'First');
      newWorkflow({ data }, 'Second');

      const uris = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Workflow')).map((r) => r.Properties.Uri);
      expect(uris).toHaveLength(2);
      expect(uris[0]).toEqual(uris[1]);
      expectSynthesizesCleanly();
    });

    test('fromS3 points Uri at the object; the document is not known at synth time', () => {
      const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'my-workflows');
      const workflow = newWorkflow({ data: WorkflowData.fromS3(bucket, 'build/workflow.yml') });

      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Workflow', {
        Uri: 's3://my-workflows/build/workflow.yml',
        Data: Match.absent(),
      });
      expect(workflow.documentText).toBeUndefined();
      expect(workflow.documentParameters).toBeUndefined();
      expectSynthesizesCleanly();
    });

    test('a token document is passed through unchecked', () => {
      const document = new CfnParameter(stack, 'Document');
      const workflow = newWorkflow({ data: WorkflowData.fromInline(document.valueAsString) });

      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Workflow', { Data: { Ref: 'Document' } });
      expect(workflow.documentText).toBeUndefined();
      expect(workflow.documentParameters).toBeUndefined();
      expectSynthesizesCleanly();
    });

    test('inline data of exactly 16000 characters is accepted', () => {
      const padded = DOCUMENT + '#'.repeat(16_000 - DOCUMENT.length);
      expect(() => newWorkflow({ data: WorkflowData.fromInline(padded) })).not.toThrow();
    });

    test('schemaVersion may be written as the string 1.0', () => {
      expect(() => newWorkflow({ data: WorkflowData.fromInline(DOCUMENT.replace('schemaVersion: 1.0', "schemaVersion: '1.0'")) }))
        .not.toThrow();
    });

    test('rollbackEnabled may be a boolean or a JSONPath variable', () => {
      const data = WorkflowData.fromJsonObject({
        schemaVersion: '1.0',
        parameters: [{ name: 'rollback', type: 'boolean', default: true }],
        steps: [
          { name: 'Launch', action: 'LaunchInstance', rollbackEnabled: false },
          { name: 'Create', action: 'CreateImage', rollbackEnabled: '$.parameters.rollback' },
        ],
      });
      expect(() => newWorkflow({ data })).not.toThrow();
      expect(() => newWorkflow({ data: WorkflowData.fromInline(DOCUMENT.replace('rollbackEnabled: true', 'rollbackEnabled: $.parameters.waitForAction')) }, 'Inline'))
        .not.toThrow();
    });

    test.each(RESTRICTED_ACTIONS.flatMap(([action, types]) => types.map((t): [string, WorkflowType] => [action, t])))(
      '%s is accepted in a %s workflow', (action, workflowType) => {
        expect(() => newWorkflowWithSteps(workflowType, [{ name: 'Restricted', action }])).not.toThrow();
      });

    test.each(ALL_TYPES)('actions the guide does not restrict, and unknown ones, are accepted in a %s workflow', (workflowType) => {
      expect(() => newWorkflowWithSteps(workflowType, [
        { name: 'Launch', action: 'LaunchInstance' },
        { name: 'Run', action: 'RunCommand' },
        { name: 'Wait', action: 'WaitForAction' },
        { name: 'Create', action: 'CreateImage' },
        { name: 'Terminate', action: 'TerminateInstance' },
        { name: 'Future', action: 'SomeFutureAction' },
      ])).not.toThrow();
    });

    test('a distribution workflow may combine the AMI distribution actions', () => {
      expect(() => newWorkflowWithSteps(WorkflowType.DISTRIBUTION, [
        { name: 'Copy', action: 'DistributeImage' },
        { name: 'Share', action: 'ModifyImageAttributes' },
        { name: 'Configure', action: 'ApplyImageConfigurations' },
      ])).not.toThrow();
      expect(() => newWorkflowWithSteps(WorkflowType.DISTRIBUTION, [
        { name: 'Launch', action: 'LaunchInstance' },
        { name: 'Push', action: 'DistributeContainerImage' },
        { name: 'Terminate', action: 'TerminateInstance' },
      ], 'Container')).not.toThrow();
    });

    test.each(TIMEOUT_MAXIMA)('%s accepts timeoutSeconds up to its maximum of %d', (action, max, workflowType) => {
      expect(() => newWorkflowWithSteps(workflowType, [{ name: 'Timed', action, timeoutSeconds: max }])).not.toThrow();
    });

    test('an action the guide does not list has no timeoutSeconds maximum', () => {
      expect(() => newWorkflowWithSteps(WorkflowType.BUILD, [{ name: 'Future', action: 'SomeFutureAction', timeoutSeconds: 604_801 }]))
        .not.toThrow();
    });

    test('a document may list 15 steps', () => {
      expect(() => newWorkflow({ data: documentWithSteps(...launchSteps(15)) })).not.toThrow();
    });

    test('parameter defaults of their declared type are accepted', () => {
      const workflow = newWorkflow({
        data: documentWithParameters(
          { name: 'count', type: 'integer', default: 0 },
          { name: 'retries', type: 'integer', default: 3 },
          { name: 'enabled', type: 'boolean', default: false },
          { name: 'label', type: 'string', default: 'v1' },
          { name: 'digits', type: 'string', default: '123' },
          { name: 'regions', type: 'stringList', default: ['us-east-1', 'eu-west-1'] },
          { name: 'none', type: 'stringList', default: [] },
          { name: 'required', type: 'integer' }),
      });
      expect(workflow.documentParameters?.map((p) => p.hasDefault)).toEqual([true, true, true, true, true, true, true, false]);
      expect(() => newWorkflow({
        data: WorkflowData.fromInline('schemaVersion: 1.0\nparameters:\n  - name: size\n    type: integer\n    default: 8\n' +
          '  - name: tags\n    type: stringList\n    default:\n      - a\n      - "1"\nsteps:\n  - name: Launch\n    action: LaunchInstance\n'),
      }, 'Inline')).not.toThrow();
    });

    test('validateDocument: false skips the document check', () => {
      const workflow = newWorkflow({ data: WorkflowData.fromInline('schemaVersion: 2.0\nsteps: []\n'), validateDocument: false });

      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Workflow', { Data: 'schemaVersion: 2.0\nsteps: []\n' });
      // The check failed, so the parameters it found are not the document's.
      expect(workflow.documentParameters).toBeUndefined();
      expectSynthesizesCleanly();
    });

    test('every document error is reported at once', () => {
      expect(() => newWorkflow({ data: documentWithSteps({ name: 'A1' }, { action: 'CreateImage' }) }))
        .toThrow(/workflow document has 2 errors:\n {2}- step 'A1' must have an action.*\n {2}- step 2 must have a name/);
    });
  });

  describe('grants', () => {
    test('grantRead grants GetWorkflow on the version and its builds', () => {
      const workflow = newWorkflow({ workflowName: 'my-workflow' });
      // The name is taken from the build version ARN (arn:...:workflow/build/<name>/1.0.0/<build>).
      const versionArn = (rest: string) => ({
        'Fn::Join': ['', [
          'arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:workflow/build/',
          { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [stack.getLogicalId(workflow.node.defaultChild as CfnWorkflow), 'Arn'] }] }] },
          rest,
        ]],
      });

      suppressBuildWildcards();
      expect(grantedResources(stack, (grantee) => workflow.grantRead(grantee), 'imagebuilder:GetWorkflow'))
        .toEqual([versionArn('/1.0.0'), versionArn('/1.0.0/*')]);
      expectSynthesizesCleanly();
    });

    test('grantRead adds kms:Decrypt on a customer key', () => {
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const workflow = newWorkflow({ kmsKey: key });
      const role = newGranteeRole();
      workflow.grantRead(role);

      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } }),
          ]),
        },
      });
      expectSynthesizesCleanly();
    });

    test('grant on a wildcard import covers every version of the name', () => {
      const imported = Workflow.fromWorkflowAttributes(stack, 'Imported', {
        workflowName: 'shared', workflowVersion: '1.x.x', workflowType: WorkflowType.TEST,
      });
      const role = newGranteeRole();
      imported.grant(role, 'imagebuilder:GetWorkflow', 'imagebuilder:ListWorkflowBuildVersions');

      const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
      const [statement] = policy.Properties.PolicyDocument.Statement;
      expect(statement.Action).toEqual(['imagebuilder:GetWorkflow', 'imagebuilder:ListWorkflowBuildVersions']);
      const resources = JSON.stringify(statement.Resource);
      expect(resources).toContain('workflow/test/shared/1.x.x');
      expect(resources).toContain('workflow/test/shared/*');
      expectSynthesizesCleanly();
    });

    test('grant on a build version ARN import covers that one build', () => {
      const arn = 'arn:aws:imagebuilder:us-east-1:111122223333:workflow/test/shared/1.0.0/2';
      const imported = Workflow.fromWorkflowArn(stack, 'Imported', arn);
      const role = newGranteeRole();
      imported.grantRead(role);

      const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
      expect(policy.Properties.PolicyDocument.Statement[0].Resource).toEqual(arn);
      expectSynthesizesCleanly();
    });

    test('grant on a literal wildcard ARN keeps the type segment in the prefix', () => {
      const imported = Workflow.fromWorkflowArn(stack, 'Imported',
        'arn:aws:imagebuilder:us-east-1:111122223333:workflow/distribution/shared/x.x.x');
      const role = newGranteeRole();
      imported.grantRead(role);

      const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
      expect(policy.Properties.PolicyDocument.Statement[0].Resource).toEqual([
        'arn:aws:imagebuilder:us-east-1:111122223333:workflow/distribution/shared/x.x.x',
        'arn:aws:imagebuilder:us-east-1:111122223333:workflow/distribution/shared/*',
      ]);
      expectSynthesizesCleanly();
    });

    test('grant on a token ARN import takes the prefix up to the name from the whole ARN', () => {
      const arn = new iam.Role(stack, 'Source', { assumedBy: new iam.AccountRootPrincipal() }).roleArn;
      const imported = Workflow.fromWorkflowAttributes(stack, 'Imported', { workflowArn: arn, workflowType: WorkflowType.BUILD });
      const role = newGranteeRole();
      imported.grantRead(role);

      const sourceArn = { 'Fn::GetAtt': [expect.stringMatching(/^Source/), 'Arn'] };
      const segment = (index: number) => ({ 'Fn::Select': [index, { 'Fn::Split': ['/', sourceArn] }] });
      const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
      expect(policy.Properties.PolicyDocument.Statement[0].Resource).toEqual([
        sourceArn,
        { 'Fn::Join': ['', [{ 'Fn::Join': ['/', [segment(0), segment(1), segment(2)]] }, '/*']] },
      ]);
      // cdk-nag shows this prefix as the intrinsics themselves, so it needs its own suppression.
      NagSuppressions.addStackSuppressions(stack, [{
        id: 'AwsSolutions-IAM5',
        reason: 'every build of every version of the imported workflow, whose ARN is only known at deployment',
        appliesTo: [{ regex: '/^Resource::\\{"Fn::Select":\\[0,.*Source.*\\/\\*$/' }],
      }]);
      expectSynthesizesCleanly();
    });
  });

  describe('imports', () => {
    test('fromWorkflowArn with a literal version ARN takes type, name and version from it', () => {
      const arn = 'arn:aws:imagebuilder:us-east-1:123456789012:workflow/test/shared-tests/1.2.3';
      const imported = Workflow.fromWorkflowArn(stack, 'Imported', arn);

      expect(imported.workflowArn).toBe(arn);
      expect(imported.workflowName).toBe('shared-tests');
      expect(imported.workflowVersion).toBe('1.2.3');
      expect(imported.workflowType).toBe(WorkflowType.TEST);
    });

    test('fromWorkflowArn with a build version ARN', () => {
      const imported = Workflow.fromWorkflowArn(stack, 'Imported',
        'arn:aws-cn:imagebuilder:cn-north-1:123456789012:workflow/distribution/copy-out/2.0.0/4');

      expect(imported.workflowName).toBe('copy-out');
      expect(imported.workflowVersion).toBe('2.0.0');
      expect(imported.workflowType).toBe(WorkflowType.DISTRIBUTION);
    });

    test('fromWorkflowAttributes with a token ARN selects name and version from the whole ARN, after the type segment', () => {
      const arn = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() }).roleArn;
      const imported = Workflow.fromWorkflowAttributes(stack, 'Imported', { workflowArn: arn, workflowType: WorkflowType.BUILD });

      // arn:aws:imagebuilder:<region>:<account>:workflow/<type>/<name>/<version>[/<build>]
      const whole = { 'Fn::Split': ['/', { 'Fn::GetAtt': [expect.stringMatching(/^Role/), 'Arn'] }] };
      expect(stack.resolve(imported.workflowName)).toEqual({ 'Fn::Select': [2, whole] });
      expect(stack.resolve(imported.workflowVersion)).toEqual({ 'Fn::Select': [3, whole] });
      expect(imported.workflowType).toBe(WorkflowType.BUILD);
    });

    test('fromWorkflowName imports the latest version in this stack', () => {
      const imported = Workflow.fromWorkflowName(stack, 'Imported', 'shared-build', WorkflowType.BUILD);

      expect(imported.workflowVersion).toBe('x.x.x');
      expect(imported.workflowName).toBe('shared-build');
      expect(stack.resolve(imported.workflowArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:workflow/build/shared-build/x.x.x']],
      });
    });

    test('fromWorkflowName takes a name with capitals, spaces and underscores, and builds the ARN as the service writes it', () => {
      const imported = Workflow.fromWorkflowName(stack, 'Imported', 'Shared Build_Steps', WorkflowType.BUILD);

      expect(imported.workflowName).toBe('Shared Build_Steps');
      expect(stack.resolve(imported.workflowArn)).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:workflow/build/shared-build-steps/x.x.x']],
      });
    });

    test('fromWorkflowAttributes with a name, a version and a key', () => {
      const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
      const imported = Workflow.fromWorkflowAttributes(stack, 'Imported', {
        workflowName: 'shared-test', workflowVersion: '1.2.x', workflowType: WorkflowType.TEST, kmsKey: key,
      });
      const role = newGranteeRole();
      imported.grantRead(role);

      expect(arnOf(imported)).toBe('arn:aws:imagebuilder:us-east-1:123456789012:workflow/test/shared-test/1.2.x');
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'kms:Decrypt' })]) },
      });
      expectSynthesizesCleanly();
    });

    test('a literal ARN with a matching workflowType is accepted', () => {
      const imported = Workflow.fromWorkflowAttributes(stack, 'Imported', {
        workflowArn: 'arn:aws:imagebuilder:us-east-1:123456789012:workflow/build/a-b/1.0.0',
        workflowType: WorkflowType.BUILD,
      });
      expect(imported.workflowType).toBe(WorkflowType.BUILD);
    });
  });

  describe('validation', () => {
    test('fails for a kmsKey imported by the ARN of another region', () => {
      expect(() => newWorkflow({ kmsKey: kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555') }))
        .toThrow("kmsKey must be in region us-east-1, the region of the workflow, got 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555' of region eu-west-1");
    });

    test('fails when workflowName has characters the service does not accept', () => {
      expect(() => newWorkflow({ workflowName: 'bad/name' })).toThrow(/workflowName must be .*got 'bad\/name'/);
    });

    test('fails when workflowName is too short', () => {
      expect(() => newWorkflow({ workflowName: 'ab' })).toThrow(/workflowName .*got 'ab'/);
    });

    test('fails when workflowName is too long', () => {
      expect(() => newWorkflow({ workflowName: 'a'.repeat(129) })).toThrow(/workflowName must be at most 128 characters/);
    });

    test('takes a workflowName with capitals, spaces and underscores: its name and ARN come from the ARN the service writes', () => {
      const workflow = newWorkflow({ workflowName: 'My Build_2' });
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Workflow', { Name: 'My Build_2' });
      const logicalId = stack.getLogicalId(workflow.node.defaultChild as CfnWorkflow);
      expect(stack.resolve(workflow.workflowName)).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [logicalId, 'Arn'] }] }] });
    });

    test('fails when workflowVersion is malformed', () => {
      expect(() => newWorkflow({ workflowVersion: '1.0' })).toThrow("workflowVersion must be major.minor.patch with numbers, got '1.0'");
    });

    test('fails when workflowVersion has a wildcard', () => {
      expect(() => newWorkflow({ workflowVersion: '1.0.x' })).toThrow(/workflowVersion does not allow x wildcards.*got '1\.0\.x'/);
    });

    test('fails when workflowVersion is over the service bound', () => {
      expect(() => newWorkflow({ workflowVersion: '1.0.1073741824' })).toThrow(/workflowVersion .*1073741823/);
    });

    test('fails when description is too long', () => {
      expect(() => newWorkflow({ description: 'd'.repeat(1025) })).toThrow('description must be 1 to 1024 characters, got 1025');
    });

    test('fails on a tag key with characters Image Builder refuses', () => {
      expect(() => newWorkflow({ tags: { 'team#1': 'x' } })).toThrow("tags keys may hold letters, digits, white space and _ . : / = + - @, got 'team#1'");
    });

    test('fails when changeDescription is empty', () => {
      expect(() => newWorkflow({ changeDescription: '' })).toThrow('changeDescription must be 1 to 1024 characters, got 0');
    });

    test('fails when inline data is empty', () => {
      expect(() => newWorkflow({ data: WorkflowData.fromInline('  \n') })).toThrow('data must be a workflow document, got an empty string');
    });

    test('fails when inline data is over the service size limit', () => {
      const padded = DOCUMENT + '#'.repeat(16_001 - DOCUMENT.length);
      expect(() => newWorkflow({ data: WorkflowData.fromInline(padded) }))
        .toThrow(/data must be at most 16000 characters when inline, got 16001; put larger documents in S3/);
    });

    test('inline data is counted in characters, so 16000 characters with emoji are accepted', () => {
      const text = DOCUMENT + '#' + '😀'.repeat(16_000 - DOCUMENT.length - 1);
      expect(text.length).toBeGreaterThan(16_000); // UTF-16 code units
      newWorkflow({ data: WorkflowData.fromInline(text) });
    });

    test('fails when inline data contains a NUL character', () => {
      expect(() => newWorkflow({ data: WorkflowData.fromInline(DOCUMENT + '\0') })).toThrow('data must not contain NUL characters');
    });

    test('fails when the asset file is missing', () => {
      expect(() => newWorkflow({ data: WorkflowData.fromAsset('/no/such/workflow.yml') }))
        .toThrow(/data asset file '\/no\/such\/workflow.yml' does not exist/);
    });

    test('fails when the asset file is empty', () => {
      const file = writeTempFile('empty.yml', '');
      expect(() => newWorkflow({ data: WorkflowData.fromAsset(file) }))
        .toThrow(`data asset '${file}' must be a workflow document, got an empty string`);
    });

    test('fails when the S3 key is empty', () => {
      const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'my-workflows');
      expect(() => newWorkflow({ data: WorkflowData.fromS3(bucket, '') }))
        .toThrow("data S3 key must be a non-empty object key without a leading '/', got ''");
    });

    test('fails when the document is not YAML', () => {
      expect(() => newWorkflow({ data: WorkflowData.fromInline('steps: [unclosed\n') }))
        .toThrow(/workflow document has 1 error:\n {2}- is not valid YAML: /);
    });

    test('fails when the document is not a mapping', () => {
      expect(() => newWorkflow({ data: WorkflowData.fromInline('- LaunchInstance\n') }))
        .toThrow('must be a mapping with schemaVersion and steps, got a list');
    });

    test('fails when the asset document is invalid, naming the file', () => {
      const file = writeTempFile('bad.yml', 'schemaVersion: 1.0\nsteps: []\n');
      expect(() => newWorkflow({ data: WorkflowData.fromAsset(file) }))
        .toThrow(`workflow document '${file}' has 1 error:\n  - steps must be a non-empty list of steps, got an empty list`);
    });

    test('fails when schemaVersion is missing', () => {
      expect(() => newWorkflow({ data: WorkflowData.fromJsonObject({ steps: [{ name: 'Launch', action: 'LaunchInstance' }] }) }))
        .toThrow('schemaVersion must be 1.0, got none');
    });

    test('fails when schemaVersion is not 1.0', () => {
      expect(() => newWorkflow({ data: WorkflowData.fromInline(DOCUMENT.replace('schemaVersion: 1.0', 'schemaVersion: 2.0')) }))
        .toThrow("schemaVersion must be 1.0, got '2'");
    });

    test('fails when schemaVersion is a mapping, saying so rather than [object Object]', () => {
      expect(() => newWorkflow({ data: WorkflowData.fromInline(DOCUMENT.replace('schemaVersion: 1.0', 'schemaVersion: { a: 1 }')) }))
        .toThrow('workflow document has 1 error:\n  - schemaVersion must be 1.0, got a mapping');
    });

    test('fails when steps is missing', () => {
      expect(() => newWorkflow({ data: WorkflowData.fromJsonObject({ schemaVersion: '1.0' }) }))
        .toThrow('steps must be a non-empty list of steps, got none');
    });

    test('fails when a step is not a mapping', () => {
      expect(() => newWorkflow({ data: WorkflowData.fromInline('schemaVersion: 1.0\nsteps:\n  - LaunchInstance\n') }))
        .toThrow("step 1 must be a mapping with name and action, got 'LaunchInstance'");
    });

    test('fails when a step has no name', () => {
      expect(() => newWorkflow({ data: documentWithSteps({ name: 'Launch', action: 'LaunchInstance' }, { action: 'CreateImage' }) }))
        .toThrow('step 2 must have a name, got none');
    });

    test('fails when a step name is not one the service accepts', () => {
      expect(() => newWorkflow({ data: documentWithSteps({ name: '1st-step', action: 'LaunchInstance' }) }))
        .toThrow("step '1st-step' name must be 2 to 100 letters, numbers, hyphens and underscores, starting with a letter");
    });

    test('fails when two steps share a name', () => {
      expect(() => newWorkflow({
        data: documentWithSteps(
          { name: 'Launch', action: 'LaunchInstance' },
          { name: 'Create', action: 'CreateImage' },
          { name: 'Launch', action: 'TerminateInstance' }),
      })).toThrow("step 'Launch' is step 1 and step 3; step names must be unique");
    });

    test('fails when a step has no action', () => {
      expect(() => newWorkflow({ data: documentWithSteps({ name: 'Launch', inputs: { waitFor: 'ssmAgent' } }) }))
        .toThrow("step 'Launch' must have an action, e.g. LaunchInstance or CreateImage, got none");
    });

    test('fails when a step onFailure is not Abort or Continue', () => {
      expect(() => newWorkflow({ data: documentWithSteps({ name: 'Launch', action: 'LaunchInstance', onFailure: 'abort' }) }))
        .toThrow("step 'Launch' onFailure must be Abort or Continue, got 'abort'");
    });

    test('fails when a step rollbackEnabled is not a boolean', () => {
      expect(() => newWorkflow({ data: documentWithSteps({ name: 'Launch', action: 'LaunchInstance', rollbackEnabled: 'yes' }) }))
        .toThrow("step 'Launch' rollbackEnabled must be true or false, got 'yes'");
    });

    test('fails when a step timeoutSeconds is not a positive whole number', () => {
      expect(() => newWorkflow({ data: documentWithSteps({ name: 'Launch', action: 'LaunchInstance', timeoutSeconds: 1.5 }) }))
        .toThrow("step 'Launch' timeoutSeconds must be a whole number of seconds greater than 0, got '1.5'");
    });

    test('fails when a step rollbackEnabled is a string that is not a JSONPath variable', () => {
      for (const value of ['true', '$', 'parameters.rollback']) {
        expect(() => newWorkflow({ data: documentWithSteps({ name: 'Launch', action: 'LaunchInstance', rollbackEnabled: value }) }, `W${value}`))
          .toThrow(`step 'Launch' rollbackEnabled must be true or false, got '${value}'; a JSONPath variable that resolves to true or false, ` +
            'such as $.parameters.rollback, is also allowed');
      }
    });

    test.each(RESTRICTED_ACTIONS.flatMap(([action, types]) =>
      ALL_TYPES.filter((t) => !types.includes(t)).map((t): [string, WorkflowType, string] => [action, t, types.join(' or ')])))(
      'fails when %s is in a %s workflow', (action, workflowType, allowed) => {
        expect(() => newWorkflowWithSteps(workflowType, [{ name: 'Launch', action: 'LaunchInstance' }, { name: 'Restricted', action }]))
          .toThrow(`step 'Restricted' action ${action} is allowed only in ${allowed} workflows, got a ${workflowType} workflow`);
      });

    test('warns, naming the listed actions, about an action the user guide does not list, which Image Builder may have added since', () => {
      newWorkflowWithSteps(WorkflowType.BUILD, [{ name: 'Launch', action: 'LaunchInstance' }, { name: 'Snapshot', action: 'SnapshotVolumes' }]);
      const warnings = Annotations.fromStack(stack).findWarning('/Stack/Workflow', Match.anyValue()).map((w) => w.entry.data);
      expect(warnings).toEqual([expect.stringMatching(
        "^workflow document: step 'Snapshot' action 'SnapshotVolumes' is not one the Image Builder user guide lists \\(ApplyImageConfigurations, " +
        '.*WaitForSSMAgent\\); if Image Builder has added it since, acknowledge this warning ' +
        "\\(Annotations.of\\(workflow\\).acknowledgeWarning\\('cdk-imagebuilder:workflowDocument'\\)\\) \\[ack: cdk-imagebuilder:workflowDocument\\]$")]);
      expectSynthesizesCleanly();
    });

    test('warns about an action that differs from a listed one only in case, naming that one', () => {
      newWorkflowWithSteps(WorkflowType.BUILD, [{ name: 'Launch', action: 'launchInstance' }]);
      Annotations.fromStack(stack).hasWarning('/Stack/Workflow',
        "workflow document: step 'Launch' action 'launchInstance' is not one the Image Builder user guide lists; did you mean 'LaunchInstance'? " +
        "Action names are case-sensitive; if Image Builder has added it since, acknowledge this warning (Annotations.of(workflow).acknowledgeWarning('cdk-imagebuilder:workflowDocument')) " +
        '[ack: cdk-imagebuilder:workflowDocument]');
    });

    test('gives no warning for the listed actions, nor for an unlisted one with validateDocument: false; warns for one named like an object property', () => {
      TIMEOUT_MAXIMA.forEach(([action, , workflowType]) => newWorkflowWithSteps(workflowType, [{ name: 'Listed', action }], action));
      newWorkflow({ data: documentWithSteps({ name: 'Snapshot', action: 'SnapshotVolumes' }), validateDocument: false }, 'Unchecked');
      // Nor for an action named like a property every object has.
      newWorkflowWithSteps(WorkflowType.BUILD, [{ name: 'Launch', action: 'LaunchInstance' }, { name: 'Odd', action: 'constructor' }], 'Odd');
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => w.id)).toEqual(['/Stack/Odd']);
    });

    test('fails when a workflow distributes both container images and AMIs', () => {
      expect(() => newWorkflowWithSteps(WorkflowType.DISTRIBUTION, [
        { name: 'Copy', action: 'DistributeImage' },
        { name: 'Push', action: 'DistributeContainerImage' },
        { name: 'Share', action: 'ModifyImageAttributes' },
        { name: 'Configure', action: 'ApplyImageConfigurations' },
      ]))
        .toThrow("step 'Push' action DistributeContainerImage cannot share a workflow with DistributeImage, ModifyImageAttributes or " +
          "ApplyImageConfigurations, got step 'Copy' (DistributeImage), step 'Share' (ModifyImageAttributes), step 'Configure' (ApplyImageConfigurations)");
    });

    test.each(TIMEOUT_MAXIMA)('fails when %s timeoutSeconds is over its maximum of %d', (action, max, workflowType) => {
      expect(() => newWorkflowWithSteps(workflowType, [{ name: 'Timed', action, timeoutSeconds: max + 1 }]))
        .toThrow(new RegExp(`step 'Timed' timeoutSeconds must be at most ${max} \\([0-9]+ (hours|days)\\) for action ${action}, got '${max + 1}'`));
    });

    test('fails when timeoutSeconds is over the maximum, naming it in hours or days', () => {
      expect(() => newWorkflowWithSteps(WorkflowType.BUILD, [{ name: 'Reboot', action: 'WaitForSSMAgent', timeoutSeconds: 10_801 }]))
        .toThrow("step 'Reboot' timeoutSeconds must be at most 10800 (3 hours) for action WaitForSSMAgent, got '10801'");
      expect(() => newWorkflowWithSteps(WorkflowType.BUILD, [{ name: 'Approve', action: 'WaitForAction', timeoutSeconds: 604_801 }], 'Approval'))
        .toThrow("step 'Approve' timeoutSeconds must be at most 604800 (7 days) for action WaitForAction, got '604801'");
    });

    test('fails when a document lists more than 15 steps', () => {
      expect(() => newWorkflow({ data: documentWithSteps(...launchSteps(16)) }))
        .toThrow('workflow document has 1 error:\n  - steps must list at most 15 steps, got 16');
    });

    test('fails when a parameter default does not match its type', () => {
      expect(() => newWorkflow({
        data: documentWithParameters(
          { name: 'retries', type: 'integer', default: 1.5 },
          { name: 'size', type: 'integer', default: '8' },
          { name: 'enabled', type: 'boolean', default: 'true' },
          { name: 'label', type: 'string', default: 3 },
          { name: 'regions', type: 'stringList', default: 'us-east-1' },
          { name: 'tags', type: 'stringList', default: ['a', 1] },
          { name: 'nested', type: 'string', default: { a: 'b' } }),
      })).toThrow([
        'workflow document has 7 errors:',
        "  - parameter 'retries' of type integer must have a whole number as default, got the number 1.5",
        "  - parameter 'size' of type integer must have a whole number as default, got the string '8'",
        "  - parameter 'enabled' of type boolean must have true or false as default, got the string 'true'",
        "  - parameter 'label' of type string must have a string as default, got the number 3",
        "  - parameter 'regions' of type stringList must have a list of strings as default, got the string 'us-east-1'",
        "  - parameter 'tags' of type stringList must have a list of strings as default, got a list with the number 1 at position 2",
        "  - parameter 'nested' of type string must have a string as default, got a mapping",
      ].join('\n'));
    });

    test('fails when parameters is not a list', () => {
      expect(() => newWorkflow({
        data: WorkflowData.fromJsonObject({ schemaVersion: '1.0', parameters: { a: 'string' }, steps: [{ name: 'Launch', action: 'LaunchInstance' }] }),
      })).toThrow('parameters must be a list of parameters with name and type, got a mapping');
    });

    test('fails when a parameter is not a mapping', () => {
      expect(() => newWorkflow({
        data: WorkflowData.fromJsonObject({ schemaVersion: '1.0', parameters: ['a'], steps: [{ name: 'Launch', action: 'LaunchInstance' }] }),
      })).toThrow("parameter 1 must be a mapping with name and type, got 'a'");
    });

    test('fails when a parameter has no name', () => {
      expect(() => newWorkflow({
        data: WorkflowData.fromJsonObject({ schemaVersion: '1.0', parameters: [{ type: 'string' }], steps: [{ name: 'Launch', action: 'LaunchInstance' }] }),
      })).toThrow('parameter 1 must have a name, got none');
    });

    test('fails when a parameter has no type or an unknown one', () => {
      expect(() => newWorkflow({
        data: WorkflowData.fromJsonObject({
          schemaVersion: '1.0',
          parameters: [{ name: 'count', type: 'number' }, { name: 'label' }],
          steps: [{ name: 'Launch', action: 'LaunchInstance' }],
        }),
      })).toThrow(/parameter 'count' type must be one of string, integer, boolean, stringList, got 'number'\n {2}- parameter 'label' type must be one of .*got none/);
    });

    test('fails when two parameters share a name', () => {
      expect(() => newWorkflow({
        data: WorkflowData.fromJsonObject({
          schemaVersion: '1.0',
          parameters: [{ name: 'tag', type: 'string' }, { name: 'tag', type: 'string' }],
          steps: [{ name: 'Launch', action: 'LaunchInstance' }],
        }),
      })).toThrow("parameter 'tag' is declared more than once; parameter names must be unique");
    });

    test('fails when an import gives both an ARN and a name', () => {
      expect(() => Workflow.fromWorkflowAttributes(stack, 'Imported', {
        workflowArn: 'arn:aws:imagebuilder:us-east-1:123456789012:workflow/build/a-b/1.0.0',
        workflowName: 'a-b',
      })).toThrow('give workflowArn, or workflowName with workflowVersion, not both; ' +
        "got workflowArn 'arn:aws:imagebuilder:us-east-1:123456789012:workflow/build/a-b/1.0.0' and workflowName 'a-b'");
    });

    test('fails when an import gives both a token ARN and a name, without showing the token', () => {
      expect(() => Workflow.fromWorkflowAttributes(stack, 'Imported', {
        workflowArn: new CfnParameter(stack, 'Arn').valueAsString,
        workflowType: WorkflowType.BUILD,
        workflowName: 'foo',
      })).toThrow("give workflowArn, or workflowName with workflowVersion, not both; got workflowArn (known only at deployment) and workflowName 'foo'");
    });

    test('fails when an import gives neither an ARN nor a name', () => {
      expect(() => Workflow.fromWorkflowAttributes(stack, 'Imported', { workflowType: WorkflowType.BUILD }))
        .toThrow('give workflowArn or workflowName to import a workflow, got neither');
    });

    test('fails when an import gives a version without a name', () => {
      expect(() => Workflow.fromWorkflowAttributes(stack, 'Imported', { workflowVersion: '1.0.0' }))
        .toThrow("workflowVersion needs a workflowName, got only workflowVersion '1.0.0'");
    });

    test('fails when an import by name gives no workflowType', () => {
      expect(() => Workflow.fromWorkflowAttributes(stack, 'Imported', { workflowName: 'a-b' }))
        .toThrow("workflowType is needed with a workflowName, it is part of the ARN; got workflowName 'a-b' and no workflowType");
    });

    test('fails when an import by token ARN gives no workflowType', () => {
      const arn = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() }).roleArn;
      expect(() => Workflow.fromWorkflowArn(stack, 'Imported', arn))
        .toThrow('workflowType is needed with a workflowArn that is only known at deployment, got a token workflowArn and no workflowType');
    });

    test('fails when an import gives a workflowType that contradicts the ARN', () => {
      expect(() => Workflow.fromWorkflowAttributes(stack, 'Imported', {
        workflowArn: 'arn:aws:imagebuilder:us-east-1:123456789012:workflow/test/a-b/1.0.0',
        workflowType: WorkflowType.BUILD,
      })).toThrow("workflowType must match the type in workflowArn, got workflowType 'BUILD' and an ARN of type 'test'");
    });

    test('fails when an imported ARN is of another resource type', () => {
      expect(() => Workflow.fromWorkflowArn(stack, 'Imported', 'arn:aws:imagebuilder:us-east-1:123456789012:component/a-b/1.0.0'))
        .toThrow(/workflowArn must be an Image Builder workflow ARN like arn:aws:imagebuilder:us-east-1:123456789012:workflow\/build\/my-workflow\/1\.0\.0, got/);
    });

    test('fails when an imported ARN has no type segment', () => {
      expect(() => Workflow.fromWorkflowArn(stack, 'Imported', 'arn:aws:imagebuilder:us-east-1:123456789012:workflow/a-b/1.0.0'))
        .toThrow(/workflowArn must be an Image Builder workflow ARN/);
    });

    test('fails when an imported name has characters the service does not accept', () => {
      expect(() => Workflow.fromWorkflowName(stack, 'Imported', 'shared/build', WorkflowType.BUILD))
        .toThrow(/workflowName must be 3 to 128 characters of letters, numbers, hyphens, underscores and spaces.*got 'shared\/build'/);
    });

    test('fails when an imported version has a wildcard in the middle', () => {
      expect(() => Workflow.fromWorkflowAttributes(stack, 'Imported', {
        workflowName: 'a-b', workflowVersion: 'x.1.x', workflowType: WorkflowType.BUILD,
      })).toThrow(/workflowVersion .*'x\.1\.x'/);
    });

    test('errors carry the construct path', () => {
      expect(() => newWorkflow({ workflowVersion: 'one' })).toThrow(expect.objectContaining({ constructPath: 'Stack/Workflow' }));
    });
  });
});

describe('checkWorkflowParameters', () => {
  test('accepts declared parameters, with the required ones set', () => {
    const workflow = newWorkflow();
    expect(() => checkWorkflowParameters(workflow, { imageTag: ['v1'] }, stack)).not.toThrow();
    expect(() => checkWorkflowParameters(workflow, { imageTag: ['v1'], waitForAction: ['true'] }, stack)).not.toThrow();
  });

  test('skips workflows whose document is not known at synth time', () => {
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'my-workflows');
    const fromS3 = newWorkflow({ data: WorkflowData.fromS3(bucket, 'workflow.yml') }, 'FromS3');
    const imported = Workflow.fromWorkflowName(stack, 'Imported', 'shared', WorkflowType.BUILD);
    const managed = AwsManagedWorkflow.buildImage(stack, 'Managed');

    for (const workflow of [fromS3, imported, managed]) {
      expect(() => checkWorkflowParameters(workflow, { anything: ['x'] }, stack)).not.toThrow();
    }
  });

  test('fails when a parameter is not declared by the document', () => {
    const workflow = newWorkflow();
    expect(() => checkWorkflowParameters(workflow, { imageTag: ['v1'], imagetag: ['v2'] }, stack, 'workflows[0].parameters'))
      .toThrow("workflows[0].parameters must be parameters that workflow 'Stack/Workflow' declares, got 'imagetag'; declared: 'waitForAction', 'imageTag'");
  });

  test('fails when a parameter without a default is not set', () => {
    const workflow = newWorkflow();
    expect(() => checkWorkflowParameters(workflow, { waitForAction: ['true'] }, stack))
      .toThrow("parameters must set every parameter of workflow 'Stack/Workflow' that has no default, missing 'imageTag'");
  });

  test('fails when a required parameter has the name of an inherited object property', () => {
    const workflow = newWorkflow({ data: documentWithParameters({ name: 'toString', type: 'string' }, { name: 'constructor', type: 'string' }) });
    expect(() => checkWorkflowParameters(workflow, {}, stack))
      .toThrow("parameters must set every parameter of workflow 'Stack/Workflow' that has no default, missing 'toString', 'constructor'");
  });

  test('skips a document kept under validateDocument: false, whose parameters the check could not read', () => {
    // A parameter without a type fails the check; the service may still take it as a string.
    const workflow = newWorkflow({
      data: WorkflowData.fromInline('schemaVersion: 1.0\nparameters:\n  - name: colour\n    default: red\n' +
        'steps:\n  - name: Launch\n    action: LaunchInstance\n'),
      validateDocument: false,
    });
    expect(() => checkWorkflowParameters(workflow, { colour: ['blue'] }, stack)).not.toThrow();
  });

  test('a document without parameters accepts none', () => {
    const workflow = newWorkflow({ data: documentWithSteps({ name: 'Launch', action: 'LaunchInstance' }) });
    expect(() => checkWorkflowParameters(workflow, {}, stack)).not.toThrow();
    expect(() => checkWorkflowParameters(workflow, { extra: ['x'] }, stack)).toThrow(/got 'extra'; declared: none/);
  });
});

describe('AwsManagedWorkflow', () => {
  const catalogue: Array<[string, (s: Stack, id: string) => IWorkflow, WorkflowType, string]> = [
    ['buildImage', AwsManagedWorkflow.buildImage, WorkflowType.BUILD, 'build/build-image'],
    ['testImage', AwsManagedWorkflow.testImage, WorkflowType.TEST, 'test/test-image'],
    ['distributeImage', AwsManagedWorkflow.distributeImage, WorkflowType.DISTRIBUTION, 'distribution/distribute-image'],
    ['buildContainer', AwsManagedWorkflow.buildContainer, WorkflowType.BUILD, 'build/build-container'],
    ['testContainer', AwsManagedWorkflow.testContainer, WorkflowType.TEST, 'test/test-container'],
    ['distributeContainer', AwsManagedWorkflow.distributeContainer, WorkflowType.DISTRIBUTION, 'distribution/distribute-container'],
  ];

  test.each(catalogue)('%s is owned by aws, in the stack region, latest version', (_method, factory, workflowType, typeAndName) => {
    const workflow = factory(stack, 'Managed');

    expect(arnOf(workflow)).toBe(`arn:aws:imagebuilder:us-east-1:aws:workflow/${typeAndName}/x.x.x`);
    expect(workflow.workflowType).toBe(workflowType);
    expect(workflow.workflowName).toBe(typeAndName.split('/')[1]);
    expect(workflow.workflowVersion).toBe('x.x.x');
  });

  test('the partition follows the stack', () => {
    const workflow = AwsManagedWorkflow.buildImage(stack, 'Build');
    expect(stack.resolve(workflow.workflowArn)['Fn::Join'][1]).toContainEqual({ Ref: 'AWS::Partition' });
  });

  test('the region follows the stack, and an env-agnostic stack uses the deploy-time region', () => {
    const frankfurt = new Stack(new App(), 'Frankfurt', { env: { account: '123456789012', region: 'eu-central-1' } });
    expect(arnOf(AwsManagedWorkflow.testImage(frankfurt, 'Test'), frankfurt))
      .toBe('arn:aws:imagebuilder:eu-central-1:aws:workflow/test/test-image/x.x.x');

    const agnostic = new Stack(new App(), 'Agnostic');
    const workflow = AwsManagedWorkflow.testImage(agnostic, 'Test');
    expect(JSON.stringify(agnostic.resolve(workflow.workflowArn))).toContain('AWS::Region');
  });

  test('fromName with a pinned or wildcard version', () => {
    const pinned = AwsManagedWorkflow.fromName(stack, 'Pinned', WorkflowType.BUILD, 'build-image', '1.0.2');
    const minor = AwsManagedWorkflow.fromName(stack, 'Minor', WorkflowType.TEST, 'test-container', '1.x.x');

    expect(arnOf(pinned)).toBe('arn:aws:imagebuilder:us-east-1:aws:workflow/build/build-image/1.0.2');
    expect(pinned.workflowVersion).toBe('1.0.2');
    expect(arnOf(minor)).toBe('arn:aws:imagebuilder:us-east-1:aws:workflow/test/test-container/1.x.x');
  });

  test('grantRead on a managed workflow covers every version of the name', () => {
    const workflow = AwsManagedWorkflow.distributeImage(stack, 'Distribute');
    const role = newGranteeRole();
    workflow.grantRead(role);

    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    const resources = JSON.stringify(policy.Properties.PolicyDocument.Statement[0].Resource);
    expect(resources).toContain(':aws:workflow/distribution/distribute-image/x.x.x');
    expect(resources).toContain(':aws:workflow/distribution/distribute-image/*');
    expectSynthesizesCleanly();
  });

  test('fails when the version has a wildcard before a number', () => {
    expect(() => AwsManagedWorkflow.fromName(stack, 'Bad', WorkflowType.BUILD, 'build-image', 'x.0.1'))
      .toThrow(/workflowVersion .*'x\.0\.1'/);
  });

  test('fails when the name is not a workflow name', () => {
    expect(() => AwsManagedWorkflow.fromName(stack, 'Bad', WorkflowType.BUILD, 'Build Image'))
      .toThrow("workflowName must be an AWS-managed workflow name of lowercase letters, numbers and hyphens, got 'Build Image'");
  });
});
