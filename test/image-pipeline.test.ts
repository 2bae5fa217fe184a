import { App, CfnParameter, Duration, NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnImagePipeline } from 'aws-cdk-lib/aws-imagebuilder';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AwsManagedComponent, AwsManagedContainerImage, AwsManagedImage, AwsManagedWorkflow, ContainerParentImage, ContainerRecipe,
  DistributionConfiguration, ImageArchitecture,
  ImagePipeline, ImagePipelineProps, ImageRecipe, InfrastructureConfiguration, OsVersion,
  ParentImage, PipelineSchedule, PipelineStartCondition, PipelineStatus, Platform, Workflow, WorkflowData, WorkflowOnFailure, WorkflowType,
  PipelineWorkflow,
} from '../src';
import { expectValidTemplate } from './helpers/cfn-validate';
import { evaluate, matches } from './helpers/event-patterns';
import { grantedResources, iamResourcesAllow, imageBuilderArnInStack } from './helpers/grants';
import { logicalIdOf } from './helpers/logical-ids';
import { expectNoNagErrors, nagSuppressionsOn } from './helpers/nag';

let app: App;
let stack: Stack;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

function recipe(id = 'Recipe', imageRecipeName?: string) {
  return new ImageRecipe(stack, id, {
    imageRecipeName,
    parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
    components: [{ component: AwsManagedComponent.updateOs(stack, `${id}Update`, { platform: Platform.LINUX }) }],
  });
}

function newPipeline(props: Partial<ImagePipelineProps> = {}, id = 'Pipeline') {
  return new ImagePipeline(stack, id, { imageRecipe: props.containerRecipe ? undefined : recipe(`${id}Recipe`), ...props });
}

function newContainerRecipe(id = 'C', repository = new ecr.Repository(stack, `${id}Repo`)) {
  return new ContainerRecipe(stack, id, {
    parentImage: ContainerParentImage.fromDockerHub('amazonlinux'),
    targetRepository: repository,
    components: [{ component: AwsManagedComponent.updateOs(stack, `${id}Update`, { platform: Platform.LINUX }) }],
  });
}

/** A workflow whose document declares a required string and a required stringList parameter, and an integer and a boolean with defaults. */
function workflowWithParameters(workflowType = WorkflowType.TEST, id = 'Tests') {
  return new Workflow(stack, id, {
    workflowType,
    data: WorkflowData.fromInline([
      'name: tests',
      'schemaVersion: 1.0',
      'parameters:',
      '  - name: approver',
      '    type: string',
      '  - name: targets',
      '    type: stringList',
      '  - name: retries',
      '    type: integer',
      '    default: 1',
      '  - name: dryRun',
      '    type: boolean',
      '    default: false',
      'steps:',
      '  - name: WaitForApproval',
      '    action: WaitForAction',
      '',
    ].join('\n')),
  });
}

/** The version ARN of an AWS-managed workflow in the test stack's region, e.g. `build/build-image/x.x.x`. */
function awsManagedWorkflowArn(resourceName: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:imagebuilder:us-east-1:aws:workflow/${resourceName}`]] };
}

/** The version ARN of a test workflow created in the test stack, named after its build version ARN, at 1.0.0. */
function createdTestWorkflowArn(workflow: Workflow): unknown {
  return {
    'Fn::Join': ['', [
      'arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:workflow/test/',
      { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [logicalIdOf(workflow), 'Arn'] }] }] },
      '/1.0.0',
    ]],
  };
}

/** The schedule of the only pipeline of the stack. */
function scheduleOf(): any {
  return Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::ImagePipeline'))[0].Properties.Schedule;
}

describe('ImagePipeline', () => {
  test('defaults: a secure infrastructure configuration, tests on, enhanced metadata on, scanning off', () => {
    const pipeline = newPipeline();

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ImageBuilder::InfrastructureConfiguration', 1);
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      ImageRecipeArn: { 'Fn::GetAtt': [logicalIdOf(stack.node.findChild('PipelineRecipe')), 'Arn'] },
      InfrastructureConfigurationArn: { 'Fn::GetAtt': [logicalIdOf(pipeline.node.findChild('Infrastructure')), 'Arn'] },
      ImageTestsConfiguration: { ImageTestsEnabled: true },
      ImageScanningConfiguration: { ImageScanningEnabled: false },
      EnhancedImageMetadataEnabled: true,
      Schedule: Match.absent(),
    });
    expect(ImagePipeline.isImagePipeline(pipeline)).toBe(true);
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('a schedule with time zone, start condition and auto-disable', () => {
    newPipeline({
      schedule: PipelineSchedule.cron({ hour: '4', weekDay: 'MON' }, {
        timezone: 'Europe/Paris', startCondition: PipelineStartCondition.EXPRESSION_MATCH_ONLY, autoDisableAfterFailures: 3,
      }),
      imageTestsTimeout: Duration.hours(2),
      status: PipelineStatus.DISABLED,
      description: 'Weekly golden AMI',
      tags: { team: 'platform' },
    });

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      Schedule: {
        ScheduleExpression: 'cron(0 4 ? * MON *)',
        Timezone: 'Europe/Paris',
        PipelineExecutionStartCondition: 'EXPRESSION_MATCH_ONLY',
        AutoDisablePolicy: { FailureCount: 3 },
      },
      ImageTestsConfiguration: { ImageTestsEnabled: true, TimeoutMinutes: 120 },
      Status: 'DISABLED',
      Description: 'Weekly golden AMI',
      Tags: { team: 'platform' },
    });
    expectValidTemplate(stack);
  });

  test('a container pipeline lets the default build instances push to the target repository', () => {
    const repository = new ecr.Repository(stack, 'Repo', { imageScanOnPush: true });
    const containerRecipe = new ContainerRecipe(stack, 'Container', {
      parentImage: ContainerParentImage.fromEcrPublic('public.ecr.aws/amazonlinux/amazonlinux:2023'),
      targetRepository: repository,
      components: [{ component: AwsManagedComponent.updateOs(stack, 'Update', { platform: Platform.LINUX }) }],
    });
    const pipeline = newPipeline({ containerRecipe, imageScanningEnabled: true, imageScanningEcrRepository: repository, imageScanningEcrTags: ['scan'] });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      ContainerRecipeArn: { 'Fn::GetAtt': [logicalIdOf(containerRecipe), 'Arn'] },
      ImageScanningConfiguration: { ImageScanningEnabled: true, EcrConfiguration: { ContainerTags: ['scan'] } },
    });
    const instanceRole = pipeline.node.findChild('Infrastructure').node.findChild('InstanceRole');
    const pushes = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p: any) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: logicalIdOf(instanceRole) }]))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => [st.Action].flat().includes('ecr:PutImage'));
    expect(pushes).toHaveLength(1);
    expect(pushes[0].Effect).toBe('Allow');
    expect(pushes[0].Resource).toEqual({ 'Fn::GetAtt': [logicalIdOf(repository), 'Arn'] });
    expectValidTemplate(stack);
  });

  test.each([
    ['scanning on, in the repository Image Builder scans in by default', { imageScanningEnabled: true }, 'image-builder-image-scanning-repository'],
    ['scanning off', { imageScanningEnabled: false }, undefined],
    ['scanning left at its default, off', {}, undefined],
  ])('a container pipeline with %s: the build instances may push the scanned copy there, and nowhere else', (_, scanning, scanningRepository) => {
    const repository = new ecr.Repository(stack, 'Repo');
    const containerRecipe = new ContainerRecipe(stack, 'Container', {
      parentImage: ContainerParentImage.fromEcrPublic('public.ecr.aws/amazonlinux/amazonlinux:2023'),
      targetRepository: repository,
      components: [{ component: AwsManagedComponent.updateOs(stack, 'Update', { platform: Platform.LINUX }) }],
    });
    newPipeline({ containerRecipe, ...scanning });

    const pushes = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => [st.Action].flat().includes('ecr:PutImage'));
    expect(pushes.map((st: any) => st.Resource)).toEqual([scanningRepository === undefined
      ? { 'Fn::GetAtt': [logicalIdOf(repository), 'Arn'] }
      : [
        { 'Fn::GetAtt': [logicalIdOf(repository), 'Arn'] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ecr:us-east-1:123456789012:repository/${scanningRepository}`]] },
      ]]);
    expectValidTemplate(stack);
  });

  test('workflows get an execution role with the managed workflow policy, suppressed in cdk-nag with its reason', () => {
    const pipeline = newPipeline({
      workflows: [
        { workflow: AwsManagedWorkflow.buildImage(stack, 'Build') },
        { workflow: AwsManagedWorkflow.testImage(stack, 'Test'), onFailure: WorkflowOnFailure.CONTINUE, parallelGroup: 'tests', parameters: { a: 'b' } },
      ],
    });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      ExecutionRole: { 'Fn::GetAtt': [logicalIdOf(pipeline.executionRole!), 'Arn'] },
      Workflows: [
        { WorkflowArn: awsManagedWorkflowArn('build/build-image/x.x.x') },
        { WorkflowArn: awsManagedWorkflowArn('test/test-image/x.x.x'), OnFailure: 'CONTINUE', ParallelGroup: 'tests', Parameters: [{ Name: 'a', Value: ['b'] }] },
      ],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'imagebuilder.amazonaws.com' } })] },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/EC2ImageBuilderExecutionPolicy']] }],
    });
    expect(pipeline.executionRole).toBeDefined();
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('fails on a workflow parameter the workflow does not declare', () => {
    const workflow = new Workflow(stack, 'Approval', {
      workflowType: WorkflowType.BUILD,
      data: WorkflowData.fromInline([
        'name: approval',
        'schemaVersion: 1.0',
        'parameters:',
        '  - name: approver',
        '    type: string',
        'steps:',
        '  - name: WaitForApproval',
        '    action: WaitForAction',
        '',
      ].join('\n')),
    });
    expect(() => newPipeline({ workflows: [{ workflow, parameters: { approver: 'a', colour: 'red' } }] }))
      .toThrow(/workflows\[0\]\.parameters .*'colour'/);
  });

  test('imageTags tag every image the pipeline builds, apart from the tags of the pipeline', () => {
    newPipeline({ tags: { team: 'platform' }, imageTags: { lifecycle: 'golden' } });
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      Tags: { team: 'platform' },
      ImageTags: { lifecycle: 'golden' },
    });
    expectValidTemplate(stack);
  });

  test('no imageTags, or none in the map, leave ImageTags out', () => {
    newPipeline();
    newPipeline({ imageTags: {} }, 'Empty');
    Template.fromStack(stack).allResourcesProperties('AWS::ImageBuilder::ImagePipeline', { ImageTags: Match.absent() });
  });

  test('fails on an imageTags key with characters Image Builder refuses', () => {
    expect(() => newPipeline({ imageTags: { 'team#1': 'x' } })).toThrow("imageTags keys may hold letters, digits, white space and _ . : / = + - @, got 'team#1'");
  });

  test('log groups', () => {
    const imageLogs = new logs.LogGroup(stack, 'ImageLogs');
    const pipelineLogs = new logs.LogGroup(stack, 'PipelineLogs');
    newPipeline({ imageLogGroup: imageLogs, pipelineLogGroup: pipelineLogs });
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      LoggingConfiguration: { ImageLogGroupName: { Ref: Match.stringLikeRegexp('ImageLogs') }, PipelineLogGroupName: { Ref: Match.stringLikeRegexp('PipelineLogs') } },
    });
  });

  test('a container pipeline with the default infrastructure may pull the parent image from its private ECR repository', () => {
    const base = new ecr.Repository(stack, 'Base');
    const containerRecipe = new ContainerRecipe(stack, 'Container', {
      parentImage: ContainerParentImage.fromEcr(base),
      targetRepository: new ecr.Repository(stack, 'Target'),
      components: [{ component: AwsManagedComponent.updateOs(stack, 'U', { platform: Platform.LINUX }) }],
    });
    newPipeline({ containerRecipe });
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const onBase = statements.filter((st: any) => JSON.stringify(st.Resource) === JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(base), 'Arn'] }));
    expect(onBase).toEqual([{
      Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [logicalIdOf(base), 'Arn'] },
    }]);
    expectValidTemplate(stack);
  });

  describe('instance types and the architecture of the parent image', () => {
    const recipeFrom = (parentImage: ParentImage, id = 'Arch') => new ImageRecipe(stack, `${id}Recipe`, {
      parentImage,
      components: [{ component: AwsManagedComponent.updateOs(stack, `${id}Update`, { platform: Platform.LINUX }) }],
    });
    const buildersOn = (id: string, ...types: string[]) =>
      new InfrastructureConfiguration(stack, id, { instanceTypes: types.map((type) => new ec2.InstanceType(type)) });

    test('fails when no instance type can run the AWS-managed parent image', () => {
      const imageRecipe = recipeFrom(ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023));
      expect(() => new ImagePipeline(stack, 'Pipeline', { imageRecipe, infrastructureConfiguration: buildersOn('Graviton', 'c7g.large', 'm7g.large') }))
        .toThrow('instanceTypes c7g.large, m7g.large of Stack/Graviton are all arm64, but the parentImage of Stack/ArchRecipe is x86_64: ' +
          'no build instance could start from it; give x86_64 instance types, or a parent image for arm64');
    });

    test('fails for an image named with AwsManagedImage.of when its architecture is given', () => {
      const imageRecipe = recipeFrom(ParentImage.fromAwsManagedImage(
        AwsManagedImage.of('amazon-linux-2023-arm64', OsVersion.AMAZON_LINUX_2023), { architecture: ImageArchitecture.ARM64 }));
      expect(() => new ImagePipeline(stack, 'Pipeline', { imageRecipe, infrastructureConfiguration: buildersOn('Intel', 'm5.large') }))
        .toThrow('instanceTypes m5.large of Stack/Intel are all x86_64, but the parentImage of Stack/ArchRecipe is arm64');
    });

    test('fails for an architecture given with the parent image', () => {
      const imageRecipe = recipeFrom(ParentImage.fromSsmParameterName(
        '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64', { architecture: ImageArchitecture.ARM64 }));
      expect(() => new ImagePipeline(stack, 'Pipeline', { imageRecipe, infrastructureConfiguration: buildersOn('Intel', 'm5.large') }))
        .toThrow('instanceTypes m5.large of Stack/Intel are all x86_64, but the parentImage of Stack/ArchRecipe is arm64');
    });

    test('passes when one instance type can, or when the architecture of either is unknown', () => {
      const arm = recipeFrom(ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023, { architecture: ImageArchitecture.ARM64 }), 'Arm');
      new ImagePipeline(stack, 'Mixed', { imageRecipe: arm, infrastructureConfiguration: buildersOn('Both', 'm5.large', 'm7g.large') });
      new ImagePipeline(stack, 'Graviton', { imageRecipe: arm, infrastructureConfiguration: buildersOn('Arm64', 'c7g.large') });
      // An AMI of unknown architecture, an instance type the naming does not tell, and no instance types at all.
      new ImagePipeline(stack, 'Ami', { imageRecipe: recipeFrom(ParentImage.fromAmiId('ami-0123456789abcdef0'), 'Ami'), infrastructureConfiguration: buildersOn('Any', 'c7g.large') });
      new ImagePipeline(stack, 'Untold', { imageRecipe: arm, infrastructureConfiguration: buildersOn('HighMemory', 'u-6tb1.metal') });
      new ImagePipeline(stack, 'Default', { imageRecipe: arm });
      // AwsManagedImage.of names one image for any architecture, so its architecture is unknown unless given.
      const named = recipeFrom(ParentImage.fromAwsManagedImage(AwsManagedImage.of('amazon-linux-2023-arm64', OsVersion.AMAZON_LINUX_2023)), 'Named');
      new ImagePipeline(stack, 'Named', { imageRecipe: named, infrastructureConfiguration: buildersOn('NamedArm', 'm7g.large') });
      Template.fromStack(stack).resourceCountIs('AWS::ImageBuilder::ImagePipeline', 6);
    });
  });

  describe('a container pipeline with an infrastructure configuration of its own', () => {
    /** The statements of every policy attached to `role`. */
    const statementsOf = (role: iam.IRole) => Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .filter((p: any) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: logicalIdOf(role) }]))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
    const PUSH = ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'];
    const containerBuildStatements = (target: ecr.IRepository, base: ecr.IRepository) => [
      { Action: [...PULL, ...PUSH], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalIdOf(target), 'Arn'] } },
      { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
      {
        Action: 'imagebuilder:GetContainerRecipe',
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:container-recipe/*']] },
      },
      { Action: PULL, Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalIdOf(base), 'Arn'] } },
    ];
    const containerRecipeFrom = (base: ecr.IRepository, target: ecr.IRepository) => new ContainerRecipe(stack, 'Container', {
      parentImage: ContainerParentImage.fromEcr(base),
      targetRepository: target,
      components: [{ component: AwsManagedComponent.updateOs(stack, 'U', { platform: Platform.LINUX }) }],
    });

    test('its build instances may pull the parent image and pull and push the target, as with the default one', () => {
      const base = new ecr.Repository(stack, 'Base');
      const target = new ecr.Repository(stack, 'Target');
      const infrastructure = new InfrastructureConfiguration(stack, 'Builders', { instanceTypes: [new ec2.InstanceType('c7i.large')] });
      newPipeline({ containerRecipe: containerRecipeFrom(base, target), infrastructureConfiguration: infrastructure });

      expect(statementsOf(infrastructure.role!)).toEqual(containerBuildStatements(target, base));
      expectValidTemplate(stack);
      expectNoNagErrors(stack);
    });

    test('granted once when the app also calls allowContainerBuilds', () => {
      const base = new ecr.Repository(stack, 'Base');
      const target = new ecr.Repository(stack, 'Target');
      const infrastructure = new InfrastructureConfiguration(stack, 'Builders');
      infrastructure.allowContainerBuilds(target, base);
      newPipeline({ containerRecipe: containerRecipeFrom(base, target), infrastructureConfiguration: infrastructure });

      expect(statementsOf(infrastructure.role!)).toEqual(containerBuildStatements(target, base));
    });

    test('an imported container recipe: its repository is unknown, so the role gets the AWS-managed container build policy', () => {
      const infrastructure = new InfrastructureConfiguration(stack, 'Builders');
      const containerRecipe = ContainerRecipe.fromContainerRecipeName(stack, 'Imported', 'web');
      newPipeline({ containerRecipe, infrastructureConfiguration: infrastructure });

      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        ManagedPolicyArns: Match.arrayWith([
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/EC2InstanceProfileForImageBuilderECRContainerBuilds']] },
        ]),
      });
      expectNoNagErrors(stack);
    });

    test('fails when its IMDSv2 hop limit leaves the container without instance credentials', () => {
      const base = new ecr.Repository(stack, 'Base');
      const target = new ecr.Repository(stack, 'Target');
      const infrastructure = new InfrastructureConfiguration(stack, 'Builders', { httpPutResponseHopLimit: 1 });
      expect(() => newPipeline({ containerRecipe: containerRecipeFrom(base, target), infrastructureConfiguration: infrastructure }))
        .toThrow('httpPutResponseHopLimit must be at least 2 for container builds when IMDSv2 is required, got 1');
    });

    test('one in a shared stack is left as it is, with a warning, rather than make the stacks depend on each other', () => {
      const shared = new Stack(app, 'Shared', { env: { account: '123456789012', region: 'us-east-1' } });
      const infrastructure = new InfrastructureConfiguration(shared, 'Builders');
      const pipeline = newPipeline({
        containerRecipe: containerRecipeFrom(new ecr.Repository(stack, 'Base'), new ecr.Repository(stack, 'Target')),
        infrastructureConfiguration: infrastructure,
      });

      expect(() => app.synth()).not.toThrow();
      expect(Template.fromStack(shared).findResources('AWS::IAM::Policy')).toEqual({});
      Annotations.fromStack(stack).hasWarning(`/${pipeline.node.path}`,
        'the infrastructure configuration Shared/Builders is in another stack than the repositories of the container recipe ' +
        '(Stack/Target, Stack/Base), so its instance role is left as it is: call allowContainerBuilds on it where its stack may reference them, ' +
        'or give its role pull and push on them yourself [ack: cdk-imagebuilder:containerBuilds]');
    });

    test('an imported infrastructure configuration is left as it is', () => {
      const infrastructure = InfrastructureConfiguration.fromInfrastructureConfigurationName(stack, 'Shared', 'container-builders');
      newPipeline({
        containerRecipe: containerRecipeFrom(new ecr.Repository(stack, 'Base'), new ecr.Repository(stack, 'Target')),
        infrastructureConfiguration: infrastructure,
      });

      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::Policy', 0);
      template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
        InfrastructureConfigurationArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:infrastructure-configuration/container-builders']] },
      });
    });
  });

  test('custom log groups get an execution role that may write to them', () => {
    const imageLogs = new logs.LogGroup(stack, 'ImageLogs');
    const pipelineLogs = new logs.LogGroup(stack, 'PipelineLogs');
    const pipeline = newPipeline({ imageLogGroup: imageLogs, pipelineLogGroup: pipelineLogs });

    expect(pipeline.executionRole).toBeDefined();
    const template = Template.fromStack(stack);
    const executionRole = logicalIdOf(pipeline.executionRole!);
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', { ExecutionRole: { 'Fn::GetAtt': [executionRole, 'Arn'] } });
    const written = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p: any) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: executionRole }]))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => [st.Action].flat().includes('logs:PutLogEvents'));
    expect(written).toEqual([imageLogs, pipelineLogs].map((group) => ({
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [logicalIdOf(group), 'Arn'] },
    })));
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('log groups named under /aws/imagebuilder/ need no execution role: Image Builder writes there itself', () => {
    const imageLogs = new logs.LogGroup(stack, 'ImageLogs', { logGroupName: '/aws/imagebuilder/golden/images' });
    const pipelineLogs = logs.LogGroup.fromLogGroupArn(stack, 'PipelineLogs', 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/imagebuilder/golden/runs');
    const pipeline = newPipeline({ imageLogGroup: imageLogs, pipelineLogGroup: pipelineLogs });

    expect(pipeline.executionRole).toBeUndefined();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      LoggingConfiguration: { ImageLogGroupName: { Ref: logicalIdOf(imageLogs) }, PipelineLogGroupName: '/aws/imagebuilder/golden/runs' },
      ExecutionRole: Match.absent(),
    });
    const assumedBy = Object.values(template.findResources('AWS::IAM::Role'))
      .map((role: any) => role.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service);
    expect(assumedBy).toEqual(['ec2.amazonaws.com']);
  });

  test('the pipeline waits for the policy that lets its execution role write to the log groups, so that a start on deploy can log', () => {
    const pipeline = newPipeline({ imageLogGroup: new logs.LogGroup(stack, 'ImageLogs', { logGroupName: '/builds/golden/images' }) });
    pipeline.startOnDeploy();

    const template = Template.fromStack(stack);
    const [policyId] = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([, p]: [string, any]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: logicalIdOf(pipeline.executionRole!) }]))
      .map(([id]) => id);
    expect(template.findResources('AWS::ImageBuilder::ImagePipeline')[logicalIdOf(pipeline)].DependsOn).toEqual(expect.arrayContaining([policyId]));
    expectValidTemplate(stack);
  });

  test('waiting for the log policy makes no cycle with a policy that names the pipeline: the role\'s other grants are elsewhere', () => {
    const role = new iam.Role(stack, 'Builds', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') });
    const pipeline = newPipeline({ executionRole: role, imageLogGroup: new logs.LogGroup(stack, 'ImageLogs', { logGroupName: '/builds/golden/images' }) });
    pipeline.grantRead(role);
    pipeline.startOnDeploy();

    const template = Template.fromStack(stack);
    const dependsOn = template.findResources('AWS::ImageBuilder::ImagePipeline')[logicalIdOf(pipeline)].DependsOn;
    expect(dependsOn).toEqual([expect.stringMatching(/^PipelineExecutionRoleLogs[0-9A-F]+$/)]);
    expectValidTemplate(stack);
  });

  test('warns about a recipe of another stack, whose next version could not be exported; not about one of a nested stack', () => {
    const builds = new Stack(app, 'Builds', { env: { account: '123456789012', region: 'us-east-1' } });
    new ImagePipeline(builds, 'Pipeline', { imageRecipe: recipe('Shared') });
    const nested = new NestedStack(stack, 'Nested');
    new ImagePipeline(nested, 'Pipeline', { imageRecipe: recipe('Local') });

    expect(Annotations.fromStack(builds).findWarning('*', Match.anyValue()).map((w) => [w.id, w.entry.data])).toEqual([[
      '/Builds/Pipeline',
      'the recipe Stack/Shared is in another stack, so its ARN is imported through an export; a changed recipe gets a new version, ' +
      "and so a new ARN, which CloudFormation refuses to export while this stack imports the old one, so the recipe's stack would fail " +
      'to deploy the change: put the recipe in this stack (or a stack nested in the same one) [ack: cdk-imagebuilder:recipeInOtherStack]',
    ]]);
    // A nested stack's warnings are in its parent's artifact.
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('one log group outside /aws/imagebuilder/ gets an execution role, which may write to both', () => {
    const imageLogs = logs.LogGroup.fromLogGroupName(stack, 'ImageLogs', '/aws/imagebuilder/golden/images');
    const pipelineLogs = new logs.LogGroup(stack, 'PipelineLogs', { logGroupName: '/builds/golden/runs' });
    const pipeline = newPipeline({ imageLogGroup: imageLogs, pipelineLogGroup: pipelineLogs });

    expect(pipeline.executionRole).toBeDefined();
    const written = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .filter((p: any) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: logicalIdOf(pipeline.executionRole!) }]))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .flatMap((st: any) => [st.Resource].flat());
    expect(written).toHaveLength(2);
    expect(written).toContainEqual({ 'Fn::GetAtt': [logicalIdOf(pipelineLogs), 'Arn'] });
  });

  test('fails for a log group name Image Builder does not take', () => {
    expect(() => newPipeline({ imageLogGroup: new logs.LogGroup(stack, 'ImageLogs', { logGroupName: 'golden#images' }) }))
      .toThrow("imageLogGroup must be a log group whose name has 1 to 512 letters, digits and the characters - _ / . (Image Builder takes no others), got 'golden#images'");
    expect(() => newPipeline({ pipelineLogGroup: logs.LogGroup.fromLogGroupName(stack, 'PipelineLogs', 'golden runs') }, 'Second'))
      .toThrow("pipelineLogGroup must be a log group whose name has 1 to 512 letters, digits and the characters - _ / . (Image Builder takes no others), got 'golden runs'");
  });

  test('a given execution role gets write access to custom log groups', () => {
    const role = new iam.Role(stack, 'Given', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') });
    const imageLogs = new logs.LogGroup(stack, 'ImageLogs');
    const pipeline = newPipeline({ imageLogGroup: imageLogs, executionRole: role });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      ExecutionRole: { 'Fn::GetAtt': [logicalIdOf(role), 'Arn'] },
    });
    const policies = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p: any) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: logicalIdOf(role) }]));
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual([{
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [logicalIdOf(imageLogs), 'Arn'] },
    }]);
    expect(pipeline.executionRole).toBe(role);
  });

  test('grantDefaultExecutionRolePermissions gives a role of the app the managed execution policy, suppressed in cdk-nag with its reason', () => {
    const role = new iam.Role(stack, 'Given', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') });
    const pipeline = newPipeline({ workflows: [{ workflow: AwsManagedWorkflow.buildImage(stack, 'Build') }], executionRole: role });
    pipeline.grantDefaultExecutionRolePermissions(role);
    pipeline.grantDefaultExecutionRolePermissions(role); // twice attaches once

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', { ExecutionRole: { 'Fn::GetAtt': [logicalIdOf(role), 'Arn'] } });
    expect(template.toJSON().Resources[logicalIdOf(role)].Properties.ManagedPolicyArns).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/EC2ImageBuilderExecutionPolicy']] },
    ]);
    expect(nagSuppressionsOn(role)).toEqual([{
      id: 'AwsSolutions-IAM4',
      reason: expect.stringContaining('the AWS-managed policy Image Builder documents for workflow execution roles'),
      applies_to: ['Policy::arn:<AWS::Partition>:iam::aws:policy/EC2ImageBuilderExecutionPolicy'],
    }]);
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('grantDefaultExecutionRolePermissions works on an imported pipeline too', () => {
    const role = new iam.Role(stack, 'Given', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') });
    ImagePipeline.fromImagePipelineName(stack, 'Imported', 'golden').grantDefaultExecutionRolePermissions(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/EC2ImageBuilderExecutionPolicy']] }],
    });
  });

  test('fails to grantDefaultExecutionRolePermissions to a role that cannot take a policy', () => {
    const pipeline = newPipeline();
    const imported = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::123456789012:role/builds', { mutable: true });
    expect(() => pipeline.grantDefaultExecutionRolePermissions(imported)).toThrow(
      'grantDefaultExecutionRolePermissions attaches the AWS-managed policy EC2ImageBuilderExecutionPolicy, which only a role created in this app ' +
      "(iam.Role) can take, got 'Stack/Imported', which is not (imported and immutable roles take no policies); attach the policy where the role is defined");
    const immutable = new iam.Role(stack, 'Fixed', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') }).withoutPolicyUpdates();
    expect(() => pipeline.grantDefaultExecutionRolePermissions(immutable)).toThrow(/only a role created in this app \(iam\.Role\) can take, got 'Stack\/ImmutableRoleFixed', which is not/);
    expect(() => pipeline.grantDefaultExecutionRolePermissions(new iam.ServicePrincipal('imagebuilder.amazonaws.com')))
      .toThrow(/only a role created in this app \(iam\.Role\) can take, got ServicePrincipal\(imagebuilder\.amazonaws\.com\);/);
  });

  test('without workflows or custom log groups there is no execution role', () => {
    expect(newPipeline().executionRole).toBeUndefined();
  });

  test('grantStartExecution: the start and the read it depends on, on this pipeline', () => {
    const pipeline = newPipeline();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    pipeline.grantStartExecution(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalIdOf(role) }],
      PolicyDocument: {
        Statement: [{
          Action: ['imagebuilder:StartImagePipelineExecution', 'imagebuilder:GetImagePipeline'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logicalIdOf(pipeline), 'Arn'] },
        }],
      },
    });
  });

  test("grantSendWorkflowStepAction: answering the waiting workflow steps of this pipeline's images, not another pipeline's", () => {
    const web = new ImagePipeline(stack, 'Web', { imageRecipe: ImageRecipe.fromImageRecipeName(stack, 'WebRecipe', 'web') });
    const granted: string[] = evaluate(grantedResources(stack, (grantee) => web.grantSendWorkflowStepAction(grantee), 'imagebuilder:SendWorkflowStepAction'));
    const allows = (arn: string) => iamResourcesAllow(granted, arn);

    expect(allows('arn:aws:imagebuilder:us-east-1:123456789012:image/web/1.0.3/2')).toBe(true);
    expect(allows('arn:aws:imagebuilder:us-east-1:123456789012:workflow-step-execution/step-0123abcd-4567-89ab-cdef-0123456789ab')).toBe(true);
    expect(allows('arn:aws:imagebuilder:us-east-1:123456789012:image/web-server/1.0.3/2')).toBe(false);
    expect(allows('arn:aws:imagebuilder:us-east-1:123456789012:image-pipeline/web')).toBe(false);
    expect(allows('arn:aws:imagebuilder:eu-west-1:123456789012:image/web/1.0.3/2')).toBe(false);
  });

  test("grantSendWorkflowStepAction of a created recipe's pipeline names the images by the recipe's Name", () => {
    const pipeline = newPipeline();
    const recipeArn = { 'Fn::GetAtt': [logicalIdOf(stack.node.findChild('PipelineRecipe')), 'Arn'] };
    expect(grantedResources(stack, (grantee) => pipeline.grantSendWorkflowStepAction(grantee), 'imagebuilder:SendWorkflowStepAction')).toEqual([
      {
        'Fn::Join': ['', [
          'arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:image/',
          { 'Fn::Select': [1, { 'Fn::Split': ['/', recipeArn] }] },
          '/*',
        ]],
      },
      imageBuilderArnInStack('workflow-step-execution', '*'),
    ]);
    expectValidTemplate(stack);
  });

  test('fails: grantSendWorkflowStepAction on an import without its recipe, saying how to give it', () => {
    const imported = ImagePipeline.fromImagePipelineArn(stack, 'Plain', 'arn:aws:imagebuilder:us-east-1:123456789012:image-pipeline/web');
    const role = new iam.Role(stack, 'Approver', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => imported.grantSendWorkflowStepAction(role)).toThrow(
      "grantSendWorkflowStepAction names the images of the pipeline's recipe, which this import does not know (images are named after " +
      'their recipe, not the pipeline): import the pipeline with fromImagePipelineAttributes and its imageRecipe or containerRecipe');
  });

  test('grantRead', () => {
    const pipeline = newPipeline();
    expect(grantedResources(stack, (grantee) => pipeline.grantRead(grantee), 'imagebuilder:GetImagePipeline'))
      .toEqual({ 'Fn::GetAtt': [logicalIdOf(pipeline), 'Arn'] });
  });

  test('imagePipelineArn and imagePipelineName are the Arn and Name attributes', () => {
    const pipeline = newPipeline();
    const logicalId = stack.getLogicalId(pipeline.node.defaultChild as CfnImagePipeline);
    expect(stack.resolve(pipeline.imagePipelineArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
    expect(stack.resolve(pipeline.imagePipelineName)).toEqual({ 'Fn::GetAtt': [logicalId, 'Name'] });
    expect(stack.resolve(pipeline.imagePipelineDeploymentId)).toEqual({ 'Fn::GetAtt': [logicalId, 'DeploymentId'] });
  });

  test('the recipe is reachable as given', () => {
    const imageRecipe = recipe();
    const amiPipeline = newPipeline({ imageRecipe });
    expect(amiPipeline.imageRecipe).toBe(imageRecipe);
    expect(amiPipeline.containerRecipe).toBeUndefined();
    const containerRecipe = newContainerRecipe();
    const containerPipeline = newPipeline({ containerRecipe }, 'Containers');
    expect(containerPipeline.containerRecipe).toBe(containerRecipe);
    expect(containerPipeline.imageRecipe).toBeUndefined();
  });

  test('imports', () => {
    const byArn = ImagePipeline.fromImagePipelineArn(stack, 'ByArn', 'arn:aws:imagebuilder:us-east-1:123456789012:image-pipeline/weekly');
    expect(byArn.imagePipelineName).toBe('weekly');
    const byName = ImagePipeline.fromImagePipelineName(stack, 'ByName', 'weekly');
    expect(stack.resolve(byName.imagePipelineArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:image-pipeline/weekly']],
    });
    expect(() => ImagePipeline.fromImagePipelineAttributes(stack, 'Neither', {})).toThrow('give imagePipelineArn or imagePipelineName to import an image pipeline, got neither');
  });

  describe('events', () => {
    test("a rule of one pipeline matches its own images' events, not another pipeline's", () => {
      const web = new ImagePipeline(stack, 'Web', {
        imageRecipe: ImageRecipe.fromImageRecipeArn(stack, 'WebRecipe', 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/web/1.0.3'),
      });
      new ImagePipeline(stack, 'WebServer', {
        imageRecipe: ImageRecipe.fromImageRecipeArn(stack, 'WebServerRecipe', 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/web-server/2.0.0'),
      });
      web.onImageBuildSucceeded('Succeeded');

      const [rule] = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'));
      const pattern = evaluate(stack.resolve(rule.Properties.EventPattern));
      const event = (image: string, status: string) => ({
        'source': 'aws.imagebuilder',
        'detail-type': 'EC2 Image Builder Image State Change',
        'resources': [`arn:aws:imagebuilder:us-east-1:123456789012:image/${image}/1.0.3/1`],
        'detail': { 'previous-state': { status: 'TESTING' }, 'state': { status } },
      });

      expect(matches(pattern, event('web', 'AVAILABLE'))).toBe(true);
      expect(matches(pattern, event('web-server', 'AVAILABLE'))).toBe(false);
      expect(matches(pattern, event('web', 'FAILED'))).toBe(false);
    });

    test("an imported pipeline given its recipe matches that recipe's images, as a created one does", () => {
      const imported = ImagePipeline.fromImagePipelineAttributes(stack, 'Imported', {
        imagePipelineName: 'nightly',
        imageRecipe: ImageRecipe.fromImageRecipeArn(stack, 'WebRecipe', 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/web/1.0.3'),
      });
      imported.onImageBuildFailed('Failed');

      const [rule] = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'));
      const pattern = evaluate(stack.resolve(rule.Properties.EventPattern));
      const event = (image: string) => ({
        'source': 'aws.imagebuilder',
        'detail-type': 'EC2 Image Builder Image State Change',
        'resources': [`arn:aws:imagebuilder:us-east-1:123456789012:image/${image}/1.0.3/1`],
        'detail': { 'previous-state': { status: 'BUILDING' }, 'state': { status: 'FAILED' } },
      });
      expect(matches(pattern, event('web'))).toBe(true);
      expect(matches(pattern, event('web-server'))).toBe(false);
      expectValidTemplate(stack);
    });

    test("an import without its recipe fails on image event rules, saying how to give it; with its container recipe it matches that recipe's images", () => {
      const imported = ImagePipeline.fromImagePipelineArn(stack, 'Plain', 'arn:aws:imagebuilder:us-east-1:123456789012:image-pipeline/web');
      expect(() => imported.onImageBuildSucceeded('Nothing')).toThrow(
        "rule 'Nothing' matches the images of the pipeline's recipe, which this import does not know (image events name the image, not the pipeline): " +
        'import the pipeline with fromImagePipelineAttributes and its imageRecipe or containerRecipe');

      ImagePipeline.fromImagePipelineAttributes(stack, 'Containers', {
        imagePipelineArn: 'arn:aws:imagebuilder:us-east-1:123456789012:image-pipeline/web',
        containerRecipe: ContainerRecipe.fromContainerRecipeName(stack, 'WebContainer', 'web-container'),
      }).onWaitForAction('Waiting');
      const rules = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'));
      expect(rules).toHaveLength(1);
      const pattern = evaluate(stack.resolve(rules[0].Properties.EventPattern));
      expect(matches(pattern, {
        'source': 'aws.imagebuilder',
        'detail-type': 'EC2 Image Builder Workflow Step Waiting',
        'resources': ['arn:aws:imagebuilder:us-east-1:123456789012:image/web-container/1.0.0/2'],
        'detail': {},
      })).toBe(true);
      expect(matches(pattern, {
        'source': 'aws.imagebuilder',
        'detail-type': 'EC2 Image Builder Workflow Step Waiting',
        'resources': ['arn:aws:imagebuilder:us-east-1:123456789012:image/web/1.0.0/2'],
        'detail': {},
      })).toBe(false);
    });

    test('fails on an import given both recipes', () => {
      expect(() => ImagePipeline.fromImagePipelineAttributes(stack, 'Both', {
        imagePipelineName: 'nightly',
        imageRecipe: ImageRecipe.fromImageRecipeName(stack, 'R', 'web'),
        containerRecipe: ContainerRecipe.fromContainerRecipeName(stack, 'C', 'web'),
      })).toThrow('give imageRecipe or containerRecipe of the imported pipeline, not both');
    });

    test('each helper has its detail type; pipeline events are scoped by the pipeline ARN', () => {
      const pipeline = newPipeline();
      pipeline.onEvent('Any');
      pipeline.onImageBuildStateChange('State');
      pipeline.onImageBuildFailed('Failed');
      pipeline.onWaitForAction('Wait');
      pipeline.onCveDetected('Cve');
      pipeline.onPipelineAutoDisabled('Disabled');

      const rules = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule')).map((r) => r.Properties.EventPattern);
      expect(rules.map((p) => p['detail-type']?.[0])).toEqual([
        undefined, 'EC2 Image Builder Image State Change', 'EC2 Image Builder Image State Change',
        'EC2 Image Builder Workflow Step Waiting', 'EC2 Image Builder CVE Detected', 'EC2 Image Builder Image Pipeline Automatically Disabled',
      ]);
      // Images of the pipeline are named after its recipe: arn:...:image/<recipe name>/...
      const recipeArn = { 'Fn::GetAtt': [logicalIdOf(stack.node.findChild('PipelineRecipe')), 'Arn'] };
      const images = [{
        prefix: {
          'Fn::Join': ['', [
            'arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:image/',
            { 'Fn::Select': [1, { 'Fn::Split': ['/', recipeArn] }] },
            '/',
          ]],
        },
      }];
      expect(rules[0]).toEqual({ source: ['aws.imagebuilder'], resources: images });
      expect(rules[1]).toEqual({ 'source': ['aws.imagebuilder'], 'detail-type': ['EC2 Image Builder Image State Change'], 'resources': images });
      expect(rules[2].detail).toEqual({ state: { status: ['FAILED'] } });
      expect(rules[2].resources).toEqual(images);
      expect(rules[3]).toEqual({ 'source': ['aws.imagebuilder'], 'detail-type': ['EC2 Image Builder Workflow Step Waiting'], 'resources': images });
      expect(rules[4].resources).toEqual([{ 'Fn::GetAtt': [logicalIdOf(pipeline), 'Arn'] }]);
      expect(rules[5].resources).toEqual(rules[4].resources);
      expect(rules.every((p) => p.source[0] === 'aws.imagebuilder')).toBe(true);
      expectValidTemplate(stack);
    });

    test('onImageBuildCompleted matches builds that ended, however they ended, and keeps an event pattern given with it', () => {
      newPipeline().onImageBuildCompleted('Completed', { eventPattern: { detail: { 'previous-state': { status: ['TESTING'] } } } });
      const [rule] = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'));
      expect(rule.Properties.EventPattern['detail-type']).toEqual(['EC2 Image Builder Image State Change']);
      expect(rule.Properties.EventPattern.detail).toEqual({ 'state': { status: ['AVAILABLE', 'CANCELLED', 'FAILED'] }, 'previous-state': { status: ['TESTING'] } });
      expectValidTemplate(stack);
    });

    test('a helper given a target adds it to the rule', () => {
      const topic = new sns.Topic(stack, 'Topic');
      newPipeline().onImageBuildFailed('Failed', { target: new targets.SnsTopic(topic) });

      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Events::Rule', 1);
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: Match.objectLike({ 'detail-type': ['EC2 Image Builder Image State Change'] }),
        Targets: [{ Arn: { Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }, Id: 'Target0' }],
      });
      expectValidTemplate(stack);
    });
  });

  describe('validation', () => {
    describe('Fast Launch, which is for Windows AMIs only', () => {
      const fastLaunch = (region = 'us-east-1', enabled?: boolean) => ({ region, fastLaunchConfigurations: [{ enabled }] });

      test('fails for a distribution that turns it on for a Linux recipe, also when added after the pipeline', () => {
        const distributionConfiguration = new DistributionConfiguration(stack, 'Distribution', { amiDistributions: [{ region: 'us-east-1' }] });
        newPipeline({ distributionConfiguration });
        distributionConfiguration.addAmiDistribution(fastLaunch('eu-west-1'));
        expect(() => app.synth()).toThrow('distributionConfiguration turns Fast Launch on for eu-west-1, which is for Windows AMIs only, ' +
          'got a recipe for Linux; leave fastLaunchConfigurations out of the distribution of this recipe');
      });

      test('takes it for a Windows recipe, and an entry that turns it off for a Linux one', () => {
        const windows = new ImageRecipe(stack, 'Windows', {
          parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.WINDOWS_SERVER_2022_FULL),
          components: [{ component: AwsManagedComponent.updateOs(stack, 'WindowsUpdate', { platform: Platform.WINDOWS }) }],
        });
        newPipeline({ imageRecipe: windows, distributionConfiguration: new DistributionConfiguration(stack, 'On', { amiDistributions: [fastLaunch()] }) });
        newPipeline({ distributionConfiguration: new DistributionConfiguration(stack, 'Off', { amiDistributions: [fastLaunch('us-east-1', false)] }) }, 'Linux');
        expect(() => app.synth()).not.toThrow();
      });
    });

    test('fails without a recipe', () => {
      expect(() => new ImagePipeline(stack, 'P', {})).toThrow('give imageRecipe or containerRecipe, exactly one, got neither');
    });

    test('fails on a tag key with characters Image Builder refuses', () => {
      expect(() => newPipeline({ tags: { 'team#1': 'x' } })).toThrow("tags keys may hold letters, digits, white space and _ . : / = + - @, got 'team#1'");
    });

    test('fails with both recipes', () => {
      const repository = new ecr.Repository(stack, 'Repo');
      const containerRecipe = new ContainerRecipe(stack, 'C', {
        parentImage: ContainerParentImage.fromDockerHub('amazonlinux'),
        targetRepository: repository,
        components: [{ component: AwsManagedComponent.updateOs(stack, 'U', { platform: Platform.LINUX }) }],
      });
      expect(() => new ImagePipeline(stack, 'P', { imageRecipe: recipe(), containerRecipe })).toThrow('give imageRecipe or containerRecipe, exactly one, got both');
    });

    test.each([
      ['cron(0 4 * * *)', /a cron expression has 6 fields, this one has 5/],
      ['cron(0 4 * * MON *)', /exactly one of day-of-month and day-of-week must be \?/],
      ['cron(0 25 * * ? *)', /hours '25' is not 0-23/],
      ['cron(0 4 ? FOO MON *)', /month 'FOO' is not 1-12 or JAN-DEC/],
      ['rate(1 days)', /use 'minute, hour or day' with 1/],
      ['rate(2 day)', /use 'minutes, hours or days' with 2/],
      ['every day', /it is neither, got 'every day'/],
    ])('fails on the schedule %s with the accepted form', (expression, message) => {
      expect(() => newPipeline({ schedule: PipelineSchedule.expression(expression) }))
        .toThrow(/schedule expression must be cron\(minutes hours day-of-month month day-of-week year\), e\.g\. cron\(0 4 \? \* MON \*\), or rate\(value unit\)/);
      expect(() => newPipeline({ schedule: PipelineSchedule.expression(expression) }, 'Again')).toThrow(message);
    });

    test('valid schedules pass', () => {
      const expressions = ['cron(0/15 * * * ? *)', 'cron(30 2 ? * MON-FRI *)', 'cron(0 0 L * ? *)', 'cron(0 0 ? * 6#3 2026)', 'rate(1 day)', 'rate(12 hours)'];
      const pipelines = expressions.map((expression, i) => newPipeline({ schedule: PipelineSchedule.expression(expression) }, `P${i}`));
      const template = Template.fromStack(stack);
      const rendered = pipelines.map((p) => template.toJSON().Resources[logicalIdOf(p)].Properties.Schedule.ScheduleExpression);
      expect(rendered).toEqual(expressions);
      expectValidTemplate(stack);
    });

    test('fails on an unknown time zone', () => {
      expect(() => newPipeline({ schedule: PipelineSchedule.cron({}, { timezone: 'Mars/Olympus' }) }))
        .toThrow("schedule timezone must be an IANA time zone such as 'Europe/Paris' or 'UTC', got 'Mars/Olympus'");
    });

    test('fails on auto-disable out of range', () => {
      expect(() => newPipeline({ schedule: PipelineSchedule.cron({}, { autoDisableAfterFailures: 11 }) }))
        .toThrow('schedule autoDisableAfterFailures must be a whole number from 1 to 10, got 11');
    });

    test('fails on a test timeout out of range', () => {
      expect(() => newPipeline({ imageTestsTimeout: Duration.minutes(30) })).toThrow('imageTestsTimeout must be whole minutes from 60 to 1440, got 30 minutes');
    });

    test('fails on a test timeout with the tests off, and takes one with the tests on', () => {
      expect(() => newPipeline({ imageTestsEnabled: false, imageTestsTimeout: Duration.hours(2) }))
        .toThrow('imageTestsTimeout applies only when the tests run, got imageTestsEnabled false with imageTestsTimeout 2 hours; ' +
          'leave imageTestsTimeout out, or turn the tests on');
      newPipeline({ imageTestsEnabled: true, imageTestsTimeout: Duration.hours(2) }, 'WithTests');
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
        ImageTestsConfiguration: { ImageTestsEnabled: true, TimeoutMinutes: 120 },
      });
    });

    test('fails on ECR scanning settings for an AMI pipeline', () => {
      expect(() => newPipeline({ imageScanningEnabled: true, imageScanningEcrTags: ['a'] }))
        .toThrow('imageScanningEcrRepository and imageScanningEcrTags are only for container pipelines, got an image recipe');
    });

    test('fails on ECR scanning settings with scanning off', () => {
      const repository = new ecr.Repository(stack, 'Repo');
      const containerRecipe = new ContainerRecipe(stack, 'C', {
        parentImage: ContainerParentImage.fromDockerHub('amazonlinux'),
        targetRepository: repository,
        components: [{ component: AwsManagedComponent.updateOs(stack, 'U', { platform: Platform.LINUX }) }],
      });
      expect(() => newPipeline({ containerRecipe, imageScanningEnabled: false, imageScanningEcrRepository: repository }))
        .toThrow('imageScanningEcrRepository and imageScanningEcrTags need imageScanningEnabled, got false');
    });

    test('fails on ECR scanning tags that are empty or too long', () => {
      const scanned = (imageScanningEcrTags: string[], id: string) =>
        newPipeline({ containerRecipe: newContainerRecipe(`C${id}`), imageScanningEnabled: true, imageScanningEcrTags }, id);
      expect(() => scanned(['scan', ''], 'Empty')).toThrow("imageScanningEcrTags must be 1 to 300 characters each, the longest tag ECR takes, got ''");
      expect(() => scanned(['x'.repeat(301)], 'Long')).toThrow('imageScanningEcrTags must be 1 to 300 characters each, the longest tag ECR takes, got a tag of 301 characters');
      scanned(['x'.repeat(300)], 'Longest');
      // A tag known only at deployment is left to the service.
      scanned([new CfnParameter(stack, 'Tag').valueAsString], 'Token');
    });

    test('fails on ECR scanning settings when scanning is left at its default, off', () => {
      const repository = new ecr.Repository(stack, 'Repo');
      expect(() => newPipeline({ containerRecipe: newContainerRecipe('C', repository), imageScanningEcrRepository: repository }))
        .toThrow('imageScanningEcrRepository and imageScanningEcrTags need imageScanningEnabled, got none (scanning is off by default)');
      expect(() => newPipeline({ containerRecipe: newContainerRecipe('C2'), imageScanningEcrTags: ['scan'] }, 'Again'))
        .toThrow('imageScanningEcrRepository and imageScanningEcrTags need imageScanningEnabled, got none (scanning is off by default)');
    });

    test('fails on a malformed name', () => {
      expect(() => newPipeline({ imagePipelineName: 'x' })).toThrow(/imagePipelineName .*got 'x'/);
    });
  });

  describe('schedule', () => {
    test.each([
      [Duration.days(7), 'rate(7 days)'],
      [Duration.days(1), 'rate(1 day)'],
      [Duration.hours(36), 'rate(36 hours)'],
      [Duration.minutes(90), 'rate(90 minutes)'],
      [Duration.minutes(1), 'rate(1 minute)'],
    ])('rate(%s) is the expression %s', (interval, expression) => {
      newPipeline({ schedule: PipelineSchedule.rate(interval, { startCondition: PipelineStartCondition.EXPRESSION_MATCH_ONLY }) });
      expect(scheduleOf()).toEqual({ ScheduleExpression: expression, PipelineExecutionStartCondition: 'EXPRESSION_MATCH_ONLY' });
      expectValidTemplate(stack);
    });

    test.each([
      [Duration.seconds(30), '30 seconds'],
      [Duration.seconds(90), '90 seconds'],
      [Duration.millis(1500), '1.5 seconds'],
      [Duration.minutes(0), '0 seconds'],
    ])('fails on a rate that is no whole number of minutes, at least 1: %s', (interval, shown) => {
      expect(() => newPipeline({ schedule: PipelineSchedule.rate(interval) }))
        .toThrow(new RegExp(`^schedule rate must be a whole number of minutes, at least 1, got ${shown}$`));
    });

    test.each([
      'cron(30 22 ? * tue#2 *)', // the user guide's "second Tuesday of every month"
      'cron(0 0 ? * fri#2 *)',
      'cron(0 0 ? * sat#2,4 *)', // the user guide's second and fourth Saturday
      'cron(0 0 ? * 6#2,4 *)',
      'cron(0 0 ? * MON,tue#2 *)',
      'cron(0 0 ? * SUN#1,sat#5 *)',
      'cron(0 0 ? * 1#5 *)',
      'cron(0 0 ? * L *)',
      'cron(0 0 ? * 5L *)',
      'cron(0 0 ? * friL *)',
    ])('accepts the day-of-week form %s', (expression) => {
      newPipeline({ schedule: PipelineSchedule.expression(expression) });
      expect(scheduleOf().ScheduleExpression).toBe(expression);
      expectValidTemplate(stack);
    });

    test.each([
      'cron(0 0 1W * ? *)',
      'cron(0 0 31W * ? *)',
      'cron(0 0 LW * ? *)',
      'cron(0 0 */2 * ? *)',
      'cron(*/5 0-23/2 * 1/3 ? 2026/2)',
    ])('accepts the day-of-month and step form %s', (expression) => {
      newPipeline({ schedule: PipelineSchedule.expression(expression) });
      expect(scheduleOf().ScheduleExpression).toBe(expression);
      expectValidTemplate(stack);
    });

    test.each([
      ['cron(0 0 ? * tue#0 *)', "day-of-week 'tue#0' needs a week 1-5 after #"],
      ['cron(0 0 ? * tue#6 *)', "day-of-week 'tue#6' needs a week 1-5 after #"],
      ['cron(0 0 ? * sat#2,6 *)', "day-of-week '6' follows a # part, so it is a week and must be 1-5"],
      ['cron(0 0 ? * MON-FRI#2 *)', "day-of-week 'MON-FRI#2' needs one day 1-7 or SUN-SAT before #"],
      ['cron(0 0 ? * XYZ#2 *)', "day-of-week 'XYZ#2' needs one day 1-7 or SUN-SAT before #"],
      ['cron(0 0 ? * MON,5L *)', "day-of-week '5L' uses L, which stands for the whole field, not one value of a list"],
      ['cron(0 0 ? * 8L *)', "day-of-week '8L' needs one day 1-7 or SUN-SAT before L, or L alone"],
      ['cron(0 0 ? * */2 *)', "day-of-week '*/2' uses '/', allowed are , - * ? L #"],
      ['cron(0 0 ? * MON/2 *)', "day-of-week 'MON/2' uses '/', allowed are , - * ? L #"],
      ['cron(0 0 45W * ? *)', "day-of-month '45W' needs a day 1-31 before W"],
      ['cron(0 0 0W * ? *)', "day-of-month '0W' needs a day 1-31 before W"],
      ['cron(0 0 5#2 * ? *)', "day-of-month '5#2' is not 1-31"],
      ['cron(0 ? * * ? *)', "hours '?' is only for day-of-month and day-of-week"],
      ['cron( 0  0 * * ? *)', 'the fields must be separated by one space, with no leading or trailing spaces'],
      ['cron(0 0 * * ? * )', 'the fields must be separated by one space, with no leading or trailing spaces'],
      ['cron(0\t0 * * ? *)', 'the fields must be separated by one space, with no leading or trailing spaces'],
    ])('fails on %s, naming the field and the value', (expression, why) => {
      expect(() => newPipeline({ schedule: PipelineSchedule.expression(expression) }))
        .toThrow(`; ${why}, got '${expression}'`);
    });

    test.each([
      ['*/x', 'cron(*/x 0 * * ? *)'],
      ['1/2/3', 'cron(1/2/3 0 * * ? *)'],
    ])('fails on a cron step that is not a number (%s)', (part, expression) => {
      expect(() => newPipeline({ schedule: PipelineSchedule.expression(expression) }))
        .toThrow('schedule expression must be cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 4 ? * MON *), ' +
          'or rate(value unit) with unit minute(s), hour(s) or day(s), e.g. rate(7 days); ' +
          `minutes '${part}' has a step that is not a number, got '${expression}'`);
    });

    test.each([
      ['*/0', 'cron(*/0 0 * * ? *)'],
      ['5/00', 'cron(5/00 0 * * ? *)'],
    ])('fails on a cron step of 0 (%s)', (part, expression) => {
      expect(() => newPipeline({ schedule: PipelineSchedule.expression(expression) }))
        .toThrow(`minutes '${part}' has a step of 0; a step is a whole number of at least 1, got '${expression}'`);
      newPipeline({ schedule: PipelineSchedule.expression('cron(*/15 0 * * ? *)') }, 'EveryQuarter');
    });

    test('fails on a cron range with more than two ends', () => {
      expect(() => newPipeline({ schedule: PipelineSchedule.cron({ hour: '1-2-3' }) }))
        .toThrow('schedule expression must be cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 4 ? * MON *), ' +
          'or rate(value unit) with unit minute(s), hour(s) or day(s), e.g. rate(7 days); ' +
          "hours '1-2-3' is not a value or a range from-to, got 'cron(0 1-2-3 * * ? *)'");
    });

    test.each(['EST5EDT', 'GMT', 'UTC', 'Japan', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires', 'America/Port-au-Prince'])(
      'accepts the IANA time zone %s', (timezone) => {
        newPipeline({ schedule: PipelineSchedule.cron({}, { timezone }) });
        expect(scheduleOf().Timezone).toBe(timezone);
        expectValidTemplate(stack);
      });

    test.each([
      ['Nowhere', 'which is not in the IANA time zone database'],
      ['Mars/Olympus', 'which is not in the IANA time zone database'],
      ['GMT+0', "which Image Builder refuses: a name is 2 or more letters or digits, then '/' parts of letters, digits and - _ +"],
      ['Europe/Paris ', "which Image Builder refuses: a name is 2 or more letters or digits, then '/' parts of letters, digits and - _ +"],
      ['+01:00', "which Image Builder refuses: a name is 2 or more letters or digits, then '/' parts of letters, digits and - _ +"],
      // An IANA alias, but shorter than the service takes.
      ['NZ', 'which Image Builder refuses: it takes 3 to 100 characters'],
      ['europe/paris', "which the time zone database spells 'Europe/Paris'"],
      ['utc', "which the time zone database spells 'UTC'"],
      ['AMERICA/NEW_YORK', "which the time zone database spells 'America/New_York'"],
    ])('fails on the time zone %p', (timezone, why) => {
      expect(() => newPipeline({ schedule: PipelineSchedule.cron({}, { timezone }) }))
        .toThrow(`schedule timezone must be an IANA time zone such as 'Europe/Paris' or 'UTC', got '${timezone}', ${why}`);
    });

    /** The never-runs warnings of the stack, as [path, message] pairs. */
    function neverRunsWarnings(): string[][] {
      return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('never runs'))
        .map((w) => [w.id, w.entry.data as string]);
    }
    const thisYear = new Date().getUTCFullYear();

    test.each([
      [PipelineSchedule.expression('cron(0 0 30 2 ? *)'), "schedule 'cron(0 0 30 2 ? *)' never runs: day-of-month 30 does not occur in month 2 (FEB)"],
      [PipelineSchedule.expression('cron(0 0 31 4,6,9,11 ? *)'),
        "schedule 'cron(0 0 31 4,6,9,11 ? *)' never runs: day-of-month 31 does not occur in months 4, 6, 9, 11 (APR, JUN, SEP, NOV)"],
      [PipelineSchedule.cron({ day: '30-31', month: 'feb' }), "schedule 'cron(0 0 30-31 feb ? *)' never runs: day-of-month 30, 31 do not occur in month 2 (FEB)"],
      [PipelineSchedule.expression('cron(0 0 1 1 ? 2020)'), `schedule 'cron(0 0 1 1 ? 2020)' never runs: every year it allows is before ${thisYear}`],
      [PipelineSchedule.cron({ year: '1970-1999,2020' }), `schedule 'cron(0 0 * * ? 1970-1999,2020)' never runs: every year it allows is before ${thisYear}`],
    ])('warns of a schedule that matches no date: %#', (schedule, message) => {
      const pipeline = newPipeline({ schedule });
      expect(neverRunsWarnings()).toEqual([[`/${pipeline.node.path}`, `${message} [ack: cdk-imagebuilder:scheduleNeverRuns]`]]);
    });

    test.each([
      'cron(0 0 29 FEB ? *)', // leap years
      'cron(0 0 31 2,3 ? *)',
      'cron(0 0 31 JAN-MAR ? *)',
      'cron(0 0 30 11-2 ? *)', // a range that runs backwards: its meaning is not documented
      'cron(0 0 L 2 ? *)',
      'cron(0 0 30W 2 ? *)',
      'cron(0 0 */30 2 ? *)',
      'cron(0 0 ? 2 MON#5 *)',
      `cron(0 0 1 1 ? 2020,${thisYear})`,
      'cron(0 0 1 1 ? 2020-2199)',
      'cron(0 0 1 1 ? 2020/1)',
    ])('does not warn of %s, which can match a date, next to one that cannot', (expression) => {
      newPipeline({ schedule: PipelineSchedule.expression(expression) });
      const never = newPipeline({ schedule: PipelineSchedule.expression('cron(0 0 30 2 ? *)') }, 'Never');
      expect(neverRunsWarnings().map(([path]) => path)).toEqual([`/${never.node.path}`]);
    });

    test('an expression only known at deployment is not checked and is passed as given', () => {
      const expression = new CfnParameter(stack, 'Expression', { type: 'String' }).valueAsString;
      newPipeline({ schedule: PipelineSchedule.expression(expression) });
      expect(scheduleOf().ScheduleExpression).toEqual({ Ref: 'Expression' });
      expectValidTemplate(stack);
    });

    test('a time zone only known at deployment is not checked', () => {
      const timezone = new CfnParameter(stack, 'Zone').valueAsString;
      newPipeline({ schedule: PipelineSchedule.cron({}, { timezone }) });
      expect(scheduleOf().Timezone).toEqual({ Ref: 'Zone' });
    });
  });

  describe('workflow configurations', () => {
    test('empty parameters leave Parameters out, which takes at least one', () => {
      newPipeline({
        workflows: [
          { workflow: AwsManagedWorkflow.buildImage(stack, 'Build'), parameters: {} },
          { workflow: AwsManagedWorkflow.testImage(stack, 'Test'), parameters: {}, listParameters: {} },
        ],
      });
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
        Workflows: [
          { WorkflowArn: awsManagedWorkflowArn('build/build-image/x.x.x'), Parameters: Match.absent() },
          { WorkflowArn: awsManagedWorkflowArn('test/test-image/x.x.x'), Parameters: Match.absent() },
        ],
      });
      expectValidTemplate(stack);
    });

    test('listParameters pass every value of stringList parameters', () => {
      const workflow = workflowWithParameters();
      newPipeline({
        workflows: [{
          workflow,
          parameters: { approver: 'team-a', retries: '3' },
          listParameters: { targets: ['web', 'api'] },
        }],
      });
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
        Workflows: [{
          WorkflowArn: createdTestWorkflowArn(workflow),
          Parameters: Match.exact([
            { Name: 'approver', Value: ['team-a'] },
            { Name: 'retries', Value: ['3'] },
            { Name: 'targets', Value: ['web', 'api'] },
          ]),
        }],
      });
      expectValidTemplate(stack);
    });

    test('listParameters of a workflow whose document is unknown at synth are passed as given', () => {
      newPipeline({ workflows: [{ workflow: AwsManagedWorkflow.testImage(stack, 'Test'), listParameters: { regions: ['us-east-1'] } }] });
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
        Workflows: [{ WorkflowArn: awsManagedWorkflowArn('test/test-image/x.x.x'), Parameters: [{ Name: 'regions', Value: ['us-east-1'] }] }],
      });
    });

    test('fails on a parameter in both parameters and listParameters', () => {
      expect(() => newPipeline({
        workflows: [{ workflow: AwsManagedWorkflow.testImage(stack, 'Test'), parameters: { a: 'x' }, listParameters: { a: ['x'] } }],
      })).toThrow("workflows[0].parameters and workflows[0].listParameters must not set the same parameter, got 'a' in both");
    });

    test.each([
      ['an empty name', { parameters: { '': 'x' } }, 'workflows[0].parameters names must be 1 to 128 characters without NUL characters, got a name of 0 characters'],
      ['a name of 129 characters', { parameters: { ['a'.repeat(129)]: 'x' } },
        'workflows[0].parameters names must be 1 to 128 characters without NUL characters, got a name of 129 characters'],
      ['a name with NUL', { listParameters: { 'a\0b': ['x'] } },
        "workflows[0].listParameters names must be 1 to 128 characters without NUL characters, got 'a\\0b'"],
      ['a value with NUL', { parameters: { p: 'a\0b' } }, "workflows[0].parameters values must not contain NUL characters, got one in 'p'"],
      ['a list value with NUL', { listParameters: { regions: ['us-east-1', '\0'] } },
        "workflows[0].listParameters values must not contain NUL characters, got one in 'regions'"],
    ])('fails on %s, also when the workflow document is unknown at synth', (_, given, message) => {
      expect(() => newPipeline({ workflows: [{ workflow: AwsManagedWorkflow.testImage(stack, 'Test'), ...given }] })).toThrow(message);
    });

    test('a parameter name of 128 characters and an empty value pass', () => {
      newPipeline({ workflows: [{ workflow: AwsManagedWorkflow.testImage(stack, 'Test'), parameters: { ['a'.repeat(128)]: '' } }] });
      expectValidTemplate(stack);
    });

    test('a listParameters name that is an inherited object property is not taken as given in parameters too', () => {
      newPipeline({ workflows: [{ workflow: AwsManagedWorkflow.testImage(stack, 'Test'), parameters: { a: 'x' }, listParameters: { toString: ['x'] } }] });
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
        Workflows: [{ Parameters: [{ Name: 'a', Value: ['x'] }, { Name: 'toString', Value: ['x'] }] }],
      });
    });

    test('fails on a stringList parameter given in parameters', () => {
      expect(() => newPipeline({ workflows: [{ workflow: workflowWithParameters(), parameters: { approver: 'a', targets: 'web' } }] }))
        .toThrow("workflows[0].parameters must be string, integer or boolean parameters of workflow 'Stack/Tests', got 'targets', "
          + 'a stringList; give its values in workflows[0].listParameters');
    });

    test('fails on an integer or boolean parameter given a value the service cannot read as that type', () => {
      expect(() => newPipeline({ workflows: [{ workflow: workflowWithParameters(), parameters: { approver: 'a', retries: 'ten' }, listParameters: { targets: ['web'] } }] }))
        .toThrow("workflows[0].parameters 'retries' must be a whole number, as workflow 'Stack/Tests' declares it integer, got 'ten'");
      expect(() => newPipeline({
        workflows: [{ workflow: workflowWithParameters(WorkflowType.TEST, 'Tests2'), parameters: { approver: 'a', dryRun: 'yes' }, listParameters: { targets: ['web'] } }],
      }, 'Again')).toThrow("workflows[0].parameters 'dryRun' must be true or false, as workflow 'Stack/Tests2' declares it boolean, got 'yes'");
    });

    test('takes integer and boolean values in every form the service may parse, and any string for a string parameter', () => {
      ['-3', '+7', '0'].forEach((retries, i) => ['true', 'False', 'T', '0'].forEach((dryRun, j) => newPipeline({
        workflows: [{
          workflow: workflowWithParameters(WorkflowType.TEST, `Tests${i}${j}`),
          parameters: { approver: 'ten', retries, dryRun },
          listParameters: { targets: ['web'] },
        }],
      }, `Pipeline${i}${j}`)));
      expect(Object.keys(Template.fromStack(stack).findResources('AWS::ImageBuilder::ImagePipeline'))).toHaveLength(12);
    });

    test('fails on a string parameter given in listParameters', () => {
      expect(() => newPipeline({ workflows: [{ workflow: workflowWithParameters(), listParameters: { approver: ['a'], targets: ['web'] } }] }))
        .toThrow("workflows[0].listParameters must be stringList parameters of workflow 'Stack/Tests', got 'approver', a string; "
          + 'give its value in workflows[0].parameters');
    });

    test('fails on a listParameters name the workflow does not declare, or a missing stringList parameter', () => {
      expect(() => newPipeline({
        workflows: [{ workflow: workflowWithParameters(), parameters: { approver: 'a' }, listParameters: { targets: ['web'], colour: ['red'] } }],
      })).toThrow(/workflows\[0\]\.parameters and workflows\[0\]\.listParameters must be parameters that workflow 'Stack\/Tests' declares, got 'colour'/);
      expect(() => newPipeline({ workflows: [{ workflow: workflowWithParameters(WorkflowType.TEST, 'Tests2'), parameters: { approver: 'a' } }] }, 'Again'))
        .toThrow(/workflows\[0\]\.parameters must set every parameter of workflow 'Stack\/Tests2' that has no default, missing 'targets'/);
    });

    test.each(['a', `a${'b'.repeat(99)}`, '0g#1+a_b-c'])('accepts the parallel group %p on a test workflow', (parallelGroup) => {
      newPipeline({ workflows: [{ workflow: AwsManagedWorkflow.testImage(stack, 'Test'), parallelGroup }] });
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
        Workflows: [{ WorkflowArn: awsManagedWorkflowArn('test/test-image/x.x.x'), ParallelGroup: parallelGroup }],
      });
      expectValidTemplate(stack);
    });

    test.each(['', '-tests', '#1', 'tests!', 'two words', `a${'b'.repeat(100)}`])('fails on the parallel group %p', (parallelGroup) => {
      expect(() => newPipeline({ workflows: [{ workflow: AwsManagedWorkflow.testImage(stack, 'Test'), parallelGroup }] }))
        .toThrow(`workflows[0].parallelGroup must be 1 to 100 letters, digits and - _ + #, starting with a letter or digit, got '${parallelGroup}'`);
    });

    test('fails on a parallel group of a build or distribution workflow', () => {
      expect(() => newPipeline({ workflows: [{ workflow: AwsManagedWorkflow.buildImage(stack, 'Build'), parallelGroup: 'tests' }] }))
        .toThrow("workflows[0].parallelGroup only applies to test workflows, got 'tests' on a BUILD workflow");
      expect(() => newPipeline({
        workflows: [{ workflow: AwsManagedWorkflow.testImage(stack, 'Test') }, { workflow: AwsManagedWorkflow.distributeImage(stack, 'Dist'), parallelGroup: 'g' }],
      }, 'Again')).toThrow("workflows[1].parallelGroup only applies to test workflows, got 'g' on a DISTRIBUTION workflow");
    });

    test('one build workflow and ten test workflows pass', () => {
      const workflows: PipelineWorkflow[] = [
        { workflow: AwsManagedWorkflow.buildImage(stack, 'Build') },
        ...Array.from({ length: 10 }, (_, i) => ({ workflow: AwsManagedWorkflow.testImage(stack, `Test${i}`), parallelGroup: 'tests' })),
        { workflow: AwsManagedWorkflow.distributeImage(stack, 'Dist') },
      ];
      newPipeline({ workflows });
      const [pipeline] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::ImagePipeline'));
      expect(pipeline.Properties.Workflows).toHaveLength(12);
      expectValidTemplate(stack);
    });

    test('fails on an AWS-managed workflow for the other kind of image, naming the one to use', () => {
      expect(() => newPipeline({ workflows: [{ workflow: AwsManagedWorkflow.buildContainer(stack, 'BuildContainer') }] }))
        .toThrow('workflows[0] must be an AWS-managed workflow for AMIs, which this builds, got build-container; use build-image');
      expect(() => newPipeline({
        containerRecipe: newContainerRecipe(),
        workflows: [{ workflow: AwsManagedWorkflow.buildContainer(stack, 'Build') }, { workflow: AwsManagedWorkflow.testImage(stack, 'TestImage') }],
      }, 'Container')).toThrow('workflows[1] must be an AWS-managed workflow for container images, which this builds, got test-image; use test-container');
    });

    test('a container build workflow with setup commands runs in a container pipeline and fails in an AMI one', () => {
      const setup = new Workflow(stack, 'Setup', { workflowType: WorkflowType.BUILD, data: WorkflowData.containerBuildWithSetupCommands(['docker login registry.example.com']) });
      const container = newPipeline({ containerRecipe: newContainerRecipe(), workflows: [{ workflow: setup }] }, 'Container');
      expect(container.executionRole).toBeDefined();
      expectValidTemplate(stack);

      expect(() => newPipeline({ workflows: [{ workflow: setup }] }))
        .toThrow('workflows[0] builds container images (WorkflowData.containerBuildWithSetupCommands) and creates no AMI, but this builds an AMI; ' +
          'give it to the pipeline or image of a container recipe');
    });

    test('a container build workflow with setup commands fails for a container recipe of the other platform', () => {
      const setup = new Workflow(stack, 'Setup', { workflowType: WorkflowType.BUILD, data: WorkflowData.containerBuildWithSetupCommands(['docker login registry.example.com']) });
      const windowsRecipe = new ContainerRecipe(stack, 'Windows', {
        parentImage: ContainerParentImage.fromAwsManagedContainerImage(AwsManagedContainerImage.WINDOWS_SERVER_2019_CORE),
        targetRepository: new ecr.Repository(stack, 'WindowsRepo'),
        components: [{ component: AwsManagedComponent.updateOs(stack, 'WindowsUpdate', { platform: Platform.WINDOWS }) }],
      });
      expect(() => newPipeline({ containerRecipe: windowsRecipe, workflows: [{ workflow: setup }] }, 'Container'))
        .toThrow('workflows[0] runs its setup commands on Linux, got a container recipe of Windows; ' +
          'make the workflow with WorkflowData.containerBuildWithSetupCommands(commands, { platform: Platform.WINDOWS })');
    });

    test('takes the AWS-managed workflows of its kind of image, and workflows of its own of any name', () => {
      const own = Workflow.fromWorkflowName(stack, 'Own', 'test-container', WorkflowType.TEST);
      expect(() => newPipeline({ workflows: [{ workflow: AwsManagedWorkflow.buildImage(stack, 'Build') }] })).not.toThrow();
      expect(() => newPipeline({ workflows: [{ workflow: own }] }, 'OwnNamed')).not.toThrow();
      expect(() => newPipeline({
        containerRecipe: newContainerRecipe(), workflows: [{ workflow: AwsManagedWorkflow.buildContainer(stack, 'BuildContainer') }],
      }, 'Container')).not.toThrow();
    });

    test('fails on two build workflows', () => {
      expect(() => newPipeline({
        workflows: [{ workflow: AwsManagedWorkflow.buildImage(stack, 'Build') }, { workflow: workflowWithParameters(WorkflowType.BUILD), parameters: { approver: 'a' }, listParameters: { targets: ['t'] } }],
      })).toThrow('workflows may hold at most 1 build workflow and 10 test workflows, got 2 build and 0 test workflows');
    });

    test('fails on eleven test workflows', () => {
      const workflows = Array.from({ length: 11 }, (_, i) => ({ workflow: AwsManagedWorkflow.testImage(stack, `Test${i}`) }));
      expect(() => newPipeline({ workflows })).toThrow('workflows may hold at most 1 build workflow and 10 test workflows, got 0 build and 11 test workflows');
    });

    test('a workflow whose type is only known at deployment is neither counted nor checked for parallelGroup', () => {
      const typeOnDeploy = (id: string) => Workflow.fromWorkflowAttributes(stack, id, {
        workflowArn: new CfnParameter(stack, `${id}Arn`).valueAsString,
        workflowType: new CfnParameter(stack, `${id}Type`).valueAsString as WorkflowType,
      });
      newPipeline({
        workflows: [
          { workflow: AwsManagedWorkflow.buildImage(stack, 'Build') },
          { workflow: typeOnDeploy('A'), parallelGroup: 'g' },
          { workflow: typeOnDeploy('B'), parallelGroup: 'g' },
        ],
      });
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
        Workflows: [
          { WorkflowArn: awsManagedWorkflowArn('build/build-image/x.x.x') },
          { WorkflowArn: { Ref: 'AArn' }, ParallelGroup: 'g' },
          { WorkflowArn: { Ref: 'BArn' }, ParallelGroup: 'g' },
        ],
      });
    });
  });
});
