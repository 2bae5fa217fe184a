import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  AwsManagedComponent, AwsManagedImage, AwsManagedWorkflow, ContainerParentImage, ContainerRecipe, ImagePipeline, ImagePipelineProps, ImageRecipe,
  ParentImage, PipelineSchedule, PipelineStartCondition, PipelineStatus, Platform, Workflow, WorkflowData, WorkflowOnFailure, WorkflowType,
} from '../src';
import { expectValidTemplate } from './helpers/cfn-validate';
import { expectNoNagErrors } from './helpers/nag';

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

/** Evaluates the intrinsics a rule pattern holds here: Join, Select/Split of literals, the partition. */
function evaluate(value: any): any {
  if (Array.isArray(value)) return value.map(evaluate);
  if (value && typeof value === 'object') {
    if ('Fn::Join' in value) return evaluate(value['Fn::Join'][1]).join(value['Fn::Join'][0]);
    if ('Ref' in value && value.Ref === 'AWS::Partition') return 'aws';
    if ('Fn::Select' in value) return evaluate(value['Fn::Select'][1])[value['Fn::Select'][0]];
    if ('Fn::Split' in value) return evaluate(value['Fn::Split'][1]).split(value['Fn::Split'][0]);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v)]));
  }
  return value;
}

/** The subset of EventBridge matching these patterns use: exact values, prefixes, nested objects. */
function matches(pattern: any, event: any): boolean {
  return Object.entries(pattern).every(([key, expected]: [string, any]) => {
    const actual = event[key];
    if (Array.isArray(expected)) {
      const values = Array.isArray(actual) ? actual : [actual];
      return values.some((v) => expected.some((e) => (e && typeof e === 'object' && 'prefix' in e ? String(v).startsWith(e.prefix) : e === v)));
    }
    return actual !== undefined && matches(expected, actual);
  });
}

describe('ImagePipeline', () => {
  test('defaults: a secure infrastructure configuration, tests on, enhanced metadata on, scanning off', () => {
    const pipeline = newPipeline();

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ImageBuilder::InfrastructureConfiguration', 1);
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      ImageRecipeArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Recipe'), 'Arn'] },
      InfrastructureConfigurationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Infrastructure'), 'Arn'] },
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
    newPipeline({ containerRecipe, imageScanningEnabled: true, imageScanningEcrRepository: repository, imageScanningEcrTags: ['scan'] });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      ContainerRecipeArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Container'), 'Arn'] },
      ImageScanningConfiguration: { ImageScanningEnabled: true, EcrConfiguration: { ContainerTags: ['scan'] } },
    });
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).toContain('ecr:PutImage');
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
      ExecutionRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('ExecutionRole'), 'Arn'] },
      Workflows: [
        { WorkflowArn: Match.anyValue() },
        { WorkflowArn: Match.anyValue(), OnFailure: 'CONTINUE', ParallelGroup: 'tests', Parameters: [{ Name: 'a', Value: ['b'] }] },
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
    const pull = statements.find((st: any) => JSON.stringify(st.Resource).includes('Base'));
    expect(pull.Action).toEqual(['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage']);
    expectValidTemplate(stack);
  });

  test('custom log groups get an execution role that may write to them', () => {
    const imageLogs = new logs.LogGroup(stack, 'ImageLogs');
    const pipelineLogs = new logs.LogGroup(stack, 'PipelineLogs');
    const pipeline = newPipeline({ imageLogGroup: imageLogs, pipelineLogGroup: pipelineLogs });

    expect(pipeline.executionRole).toBeDefined();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::ImagePipeline', {
      ExecutionRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineExecutionRole'), 'Arn'] },
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p: any) => JSON.stringify(p.Properties.Roles).includes('PipelineExecutionRole'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const written = statements.filter((st: any) => JSON.stringify(st.Action).includes('logs:PutLogEvents'))
      .map((st: any) => JSON.stringify(st.Resource));
    expect(written.some((r) => r.includes('ImageLogs'))).toBe(true);
    expect(written.some((r) => r.includes('PipelineLogs'))).toBe(true);
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('a given execution role gets write access to custom log groups', () => {
    const role = new iam.Role(stack, 'Given', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') });
    newPipeline({ imageLogGroup: new logs.LogGroup(stack, 'ImageLogs'), executionRole: role });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Given') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] })] },
    });
  });

  test('without workflows or custom log groups there is no execution role', () => {
    expect(newPipeline().executionRole).toBeUndefined();
  });

  test('grantStartExecution and grantRead', () => {
    const pipeline = newPipeline();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    pipeline.grantStartExecution(role);
    pipeline.grantRead(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 'imagebuilder:StartImagePipelineExecution', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Pipeline'), 'Arn'] } }),
          Match.objectLike({ Action: 'imagebuilder:GetImagePipeline' }),
        ],
      },
    });
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
      expect(rules[2].detail).toEqual({ state: { status: ['FAILED'] } });
      expect(rules[4].resources).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Pipeline/), 'Arn'] }]);
      expect(rules[5].resources).toEqual(rules[4].resources);
      expect(JSON.stringify(rules[0].resources)).toContain('prefix');
      expect(rules.every((p) => p.source[0] === 'aws.imagebuilder')).toBe(true);
      expectValidTemplate(stack);
    });
  });

  describe('validation', () => {
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
      for (const [i, expression] of ['cron(0/15 * * * ? *)', 'cron(30 2 ? * MON-FRI *)', 'cron(0 0 L * ? *)', 'cron(0 0 ? * 6#3 2026)', 'rate(1 day)', 'rate(12 hours)'].entries()) {
        expect(() => newPipeline({ schedule: PipelineSchedule.expression(expression) }, `P${i}`)).not.toThrow();
      }
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

    test('fails on a malformed name', () => {
      expect(() => newPipeline({ imagePipelineName: 'x' })).toThrow(/imagePipelineName .*got 'x'/);
    });
  });
});
