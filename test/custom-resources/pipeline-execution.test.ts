import { App, Aws, CfnParameter, CfnResource, Duration, NestedStack, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import {
  AwsManagedComponent, AwsManagedImage, ContainerParentImage, ContainerRecipe, DistributionConfiguration, IDistributionConfiguration,
  ImagePipeline, ImageRecipe, ParentImage, PipelineExecution, Platform,
} from '../../src';
import { BUILD_INPUTS_TAG, STARTED_BY_TAG } from '../../src/custom-resources/handler/pipeline-execution';
import { expectValidTemplate } from '../helpers/cfn-validate';
import { expectNoNagErrors } from '../helpers/nag';

let app: App;
let stack: Stack;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

function pipeline(id = 'Pipeline', distributionConfiguration?: IDistributionConfiguration) {
  const recipe = new ImageRecipe(stack, `${id}Recipe`, {
    parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
    components: [{ component: AwsManagedComponent.updateOs(stack, `${id}Update`, { platform: Platform.LINUX }) }],
  });
  return new ImagePipeline(stack, id, { imageRecipe: recipe, distributionConfiguration });
}

function containerPipeline() {
  const containerRecipe = new ContainerRecipe(stack, 'ContainerRecipe', {
    parentImage: ContainerParentImage.fromDockerHub('amazonlinux'),
    targetRepository: new ecr.Repository(stack, 'Repository'),
    components: [{ component: AwsManagedComponent.updateOs(stack, 'ContainerUpdate', { platform: Platform.LINUX }) }],
  });
  return new ImagePipeline(stack, 'ContainerPipeline', { containerRecipe });
}

function amiDistribution(...regions: string[]) {
  return new DistributionConfiguration(stack, 'Distribution', { amiDistributions: regions.map((region) => ({ region })) });
}

function executionProperties(): any {
  return Object.values(Template.fromStack(stack).findResources('Custom::ImageBuilderPipelineExecution'))[0].Properties;
}

describe('PipelineExecution', () => {
  test('startOnDeploy starts the pipeline, watching its recipe version and configuration', () => {
    const p = pipeline();
    p.startOnDeploy();

    const props = executionProperties();
    expect(stack.resolve(props.PipelineArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Pipeline[0-9A-F]+$/), 'Arn'] });
    expect(props.Triggers).toHaveLength(2);
    expect(props.Triggers[0]).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^PipelineRecipe[0-9A-F]+$/), 'Arn'] });
    expect(props.Triggers[1]).toMatch(/^[0-9a-f]{32}$/);
    expect(props.WaitForCompletion).toBe(false);
    expect(props.CancelOnDelete).toBe(true);
    expect(props.ServiceTimeout).toBeUndefined();
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('the configuration fingerprint changes with the pipeline configuration, not with other resources', () => {
    const fingerprintOf = (build: (s: Stack) => void) => {
      const a = new App();
      stack = new Stack(a, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
      build(stack);
      return executionProperties().Triggers[1];
    };
    const base = fingerprintOf(() => pipeline().startOnDeploy());
    const same = fingerprintOf((s) => {
      pipeline().startOnDeploy();
      new ImageRecipe(s, 'Unrelated', {
        parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
        components: [{ component: AwsManagedComponent.updateOs(s, 'UnrelatedUpdate', { platform: Platform.LINUX }) }],
      });
    });
    const changed = fingerprintOf((s) => {
      const recipe = new ImageRecipe(s, 'PipelineRecipe', {
        parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
        components: [{ component: AwsManagedComponent.updateOs(s, 'PipelineUpdate', { platform: Platform.LINUX }) }],
      });
      new ImagePipeline(s, 'Pipeline', { imageRecipe: recipe, imageTestsEnabled: false }).startOnDeploy();
    });
    expect(same).toEqual(base);
    expect(changed).not.toEqual(base);
  });

  describe('from another stack than the recipe', () => {
    /** The triggers of an execution in its own stack of a pipeline (and recipe) in `stack`, built by `build`. */
    const triggersFromAnotherStack = (build: (s: Stack) => ImagePipeline) => {
      const a = new App();
      stack = new Stack(a, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
      const consumer = new Stack(a, 'Consumer', { env: { account: '123456789012', region: 'us-east-1' } });
      new PipelineExecution(consumer, 'Run', { pipeline: build(stack) });
      const [execution] = Object.values(Template.fromStack(consumer).findResources('Custom::ImageBuilderPipelineExecution'));
      return execution.Properties.Triggers;
    };
    /** The names of the exports of `stack`. */
    const exportsOf = (s: Stack) => Object.values(Template.fromStack(s).toJSON().Outputs ?? {}).map((output: any) => output.Export?.Name);
    const pipelineWith = (s: Stack, recipeProps: { tags?: { [key: string]: string }; workingDirectory?: string }) => new ImagePipeline(s, 'Pipeline', {
      imageRecipe: new ImageRecipe(s, 'PipelineRecipe', {
        parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
        components: [{ component: AwsManagedComponent.updateOs(s, 'PipelineUpdate', { platform: Platform.LINUX }) }],
        ...recipeProps,
      }),
    });

    test('watches a digest of what the recipe builds instead of its ARN, which would be an export no new version could change', () => {
      const base = triggersFromAnotherStack((s) => pipelineWith(s, {}));
      expect(base).toHaveLength(2);
      expect(base[0]).toMatch(/^[0-9a-f]{32}$/);
      expect(JSON.stringify(base)).not.toContain('Fn::ImportValue');
      // Any change of the recipe's properties (tags too) gives it a new version, and changes the digest.
      expect(triggersFromAnotherStack((s) => pipelineWith(s, { workingDirectory: '/opt/build' }))[0]).not.toEqual(base[0]);
      expect(triggersFromAnotherStack((s) => pipelineWith(s, { tags: { team: 'platform' } }))[0]).not.toEqual(base[0]);
      expect(triggersFromAnotherStack((s) => pipelineWith(s, {}))).toEqual(base);
      // The recipe's stack keeps the export a start of an earlier version imported, under the name it had, so that it can still be updated.
      expect(exportsOf(stack)).toContainEqual(expect.stringMatching(/^Stack:ExportsOutputFnGetAttPipelineRecipe[0-9A-F]+Arn[0-9A-F]+$/));
    });

    test('tags added with Tags.of, which give the recipe a new version, change the digest too', () => {
      const withTeam = (team: string) => triggersFromAnotherStack((s) => {
        Tags.of(s).add('team', team);
        return pipelineWith(s, {});
      })[0];
      expect(withTeam('a')).not.toEqual(withTeam('b'));
    });

    test('a recipe in a nested stack: the export kept is the top-level stack\'s, and its logical ID may still be overridden', () => {
      const a = new App();
      const producer = new Stack(a, 'Producer', { env: { account: '123456789012', region: 'us-east-1' } });
      const nested = new NestedStack(producer, 'Nested');
      const recipe = new ImageRecipe(nested, 'Recipe', {
        parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
        components: [{ component: AwsManagedComponent.updateOs(nested, 'Update', { platform: Platform.LINUX }) }],
      });
      const consumer = new Stack(a, 'Consumer', { env: { account: '123456789012', region: 'us-east-1' } });
      new PipelineExecution(consumer, 'Run', { pipeline: new ImagePipeline(producer, 'Pipeline', { imageRecipe: recipe }) });
      (recipe.node.defaultChild as CfnResource).overrideLogicalId('BaseRecipe');

      expect(exportsOf(producer)).toContainEqual(expect.stringMatching(/^Producer:ExportsOutputFnGetAttNested/));
      expect(JSON.stringify(Template.fromStack(nested).toJSON())).toContain('"BaseRecipe"');
      expect(JSON.stringify(Template.fromStack(consumer).toJSON())).not.toContain('Fn::ImportValue":"Producer:ExportsOutputFnGetAttNested');
    });

    test('a start in a stack nested in the recipe\'s keeps watching the recipe\'s ARN', () => {
      const p = pipeline();
      new PipelineExecution(new NestedStack(stack, 'Starts'), 'Run', { pipeline: p });
      const nested = (stack.node.findChild('Starts') as NestedStack);
      const [execution] = Object.values(Template.fromStack(nested).findResources('Custom::ImageBuilderPipelineExecution'));
      expect(JSON.stringify(execution.Properties.Triggers[0])).toMatch(/PipelineRecipe[0-9A-F]+Arn/);
    });
  });

  test('user triggers replace the default ones', () => {
    pipeline().startOnDeploy({ triggers: ['release-42'] });
    expect(executionProperties().Triggers).toEqual(['release-42']);
  });

  test('waiting sets the service timeout, lets the handler invoke itself and exposes the AMI', () => {
    const execution = pipeline('Pipeline', amiDistribution('us-east-1', 'eu-west-1'))
      .startOnDeploy({ waitForCompletion: true, waitTimeout: Duration.minutes(40) });

    const props = executionProperties();
    expect(props.WaitForCompletion).toBe(true);
    expect(props.WaitTimeoutSeconds).toBe(2400);
    expect(props.ServiceTimeout).toBe('2640');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkImageBuilderHandlerFunction'), 'Arn'] } }] },
    });
    const [executionId] = Object.keys(template.findResources('Custom::ImageBuilderPipelineExecution'));
    const selfInvokeId = Object.keys(template.findResources('AWS::IAM::Policy')).find((id) => id.includes('SelfInvoke'))!;
    expect(template.toJSON().Resources[executionId].DependsOn).toContain(selfInvokeId);
    expect(stack.resolve(execution.amiId())).toEqual({ 'Fn::GetAtt': [executionId, 'AmiId'] });
    expect(stack.resolve(execution.amiId('eu-west-1'))).toEqual({ 'Fn::GetAtt': [executionId, 'AmiId.eu-west-1'] });
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('the handler may start this pipeline only', () => {
    pipeline().startOnDeploy();
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const start = statements.filter((s: any) => [s.Action].flat().includes('imagebuilder:StartImagePipelineExecution'));
    expect(start.map((s: any) => s.Resource)).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^Pipeline[0-9A-F]+$/), 'Arn'] }]);
    // The IAM reference lists GetImagePipeline as an action the start depends on.
    expect(start[0].Action).toEqual(['imagebuilder:StartImagePipelineExecution', 'imagebuilder:GetImagePipeline']);
  });

  test('listing, reading and cancelling builds is in a policy every execution depends on, so an update or rollback cannot take it away first', () => {
    pipeline().startOnDeploy();
    new PipelineExecution(stack, 'Run', {
      pipeline: ImagePipeline.fromImagePipelineArn(stack, 'Imported', 'arn:aws:imagebuilder:us-east-1:123456789012:image-pipeline/nightly'),
    });
    const template = Template.fromStack(stack);
    const policies = template.findResources('AWS::IAM::Policy');
    const [kindPolicyId] = Object.keys(policies).filter((id) => id.startsWith('CdkImageBuilderHandlerPipelineExecutionPolicy'));
    // The pipelines and images of the account and region: an update or its rollback may reach the
    // builds of a pipeline or recipe the template no longer names.
    expect(policies[kindPolicyId].Properties.PolicyDocument.Statement.slice(0, 2)).toEqual([{
      Action: 'imagebuilder:ListImagePipelineImages',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:image-pipeline/*']] },
    }, {
      Action: ['imagebuilder:GetImage', 'imagebuilder:CancelImageCreation'],
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:image/*']] },
    }]);
    const defaultPolicy = Object.entries(policies).find(([id]) => id.startsWith('CdkImageBuilderHandlerRoleDefaultPolicy'))![1];
    expect(JSON.stringify(defaultPolicy)).not.toContain('CancelImageCreation');
    expect(JSON.stringify(defaultPolicy)).not.toContain('ListImagePipelineImages');
    const executions = Object.values(template.findResources('Custom::ImageBuilderPipelineExecution'));
    expect(executions).toHaveLength(2);
    for (const execution of executions) {
      expect(execution.DependsOn).toContain(kindPolicyId);
    }
    expectNoNagErrors(stack);
  });

  test('the handler may tag the images of this pipeline with the build-inputs and started-by tags, and with no other', () => {
    pipeline().startOnDeploy();
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const images = statements.find((s: any) => JSON.stringify(s.Action).includes('CancelImageCreation'));

    const tagging = statements.filter((s: any) => JSON.stringify(s.Action).includes('TagResource'));

    expect(tagging).toEqual([{
      Effect: 'Allow',
      Action: 'imagebuilder:TagResource',
      Resource: images.Resource,
      Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [BUILD_INPUTS_TAG, STARTED_BY_TAG] } },
    }]);
    expectNoNagErrors(stack);
  });

  test('an imported pipeline starts once, and the handler may read the images of the account', () => {
    const imported = ImagePipeline.fromImagePipelineArn(stack, 'Imported', 'arn:aws:imagebuilder:us-east-1:123456789012:image-pipeline/nightly');
    new PipelineExecution(stack, 'Run', { pipeline: imported });
    expect(executionProperties().Triggers).toEqual([]);
    expect(executionProperties().PipelineArn).toEqual('arn:aws:imagebuilder:us-east-1:123456789012:image-pipeline/nightly');
    expectNoNagErrors(stack);
  });

  test.each([
    ['region', 'arn:aws:imagebuilder:eu-west-1:123456789012:image-pipeline/nightly', 'us-east-1', 'eu-west-1'],
    ['account', 'arn:aws:imagebuilder:us-east-1:111111111111:image-pipeline/nightly', '123456789012', '111111111111'],
  ])('fails for an imported pipeline of another %s', (what, arn, ofStack, inArn) => {
    const imported = ImagePipeline.fromImagePipelineArn(stack, 'Imported', arn);
    expect(() => new PipelineExecution(stack, 'Run', { pipeline: imported })).toThrow(
      `pipeline must be in the stack's ${what}, ${ofStack}, where the execution's function starts it, got '${arn}' of ${what} ${inArn}`);
  });

  test('fails for an imported pipeline of another region whose ARN has the partition as a token', () => {
    const arn = `arn:${Aws.PARTITION}:imagebuilder:eu-west-1:123456789012:image-pipeline/nightly`;
    const imported = ImagePipeline.fromImagePipelineArn(stack, 'Imported', arn);
    expect(() => new PipelineExecution(stack, 'Run', { pipeline: imported })).toThrow(/pipeline must be in the stack's region, us-east-1, .* of region eu-west-1/);
  });

  test('takes a pipeline whose ARN is known only at deployment, and one of the stack\'s region with the partition as a token', () => {
    const parameter = new CfnParameter(stack, 'PipelineArn').valueAsString;
    new PipelineExecution(stack, 'FromParameter', { pipeline: ImagePipeline.fromImagePipelineArn(stack, 'FromParameterPipeline', parameter) });
    const arn = `arn:${Aws.PARTITION}:imagebuilder:us-east-1:123456789012:image-pipeline/nightly`;
    new PipelineExecution(stack, 'Partitioned', { pipeline: ImagePipeline.fromImagePipelineArn(stack, 'PartitionedPipeline', arn) });
    expect(Object.keys(Template.fromStack(stack).findResources('Custom::ImageBuilderPipelineExecution'))).toHaveLength(2);
  });

  test('takes an imported pipeline of any region and account in a stack without a fixed environment', () => {
    const agnostic = new Stack(app, 'Agnostic');
    const arn = 'arn:aws:imagebuilder:eu-west-1:111111111111:image-pipeline/nightly';
    new PipelineExecution(agnostic, 'Run', { pipeline: ImagePipeline.fromImagePipelineArn(agnostic, 'Imported', arn) });
    Template.fromStack(agnostic).hasResourceProperties('Custom::ImageBuilderPipelineExecution', { PipelineArn: arn });
  });

  test('fails for a wait timeout over 55 minutes', () => {
    expect(() => pipeline().startOnDeploy({ waitForCompletion: true, waitTimeout: Duration.minutes(90) }))
      .toThrow(/waitTimeout must be between 1 and 55 minutes \(a custom resource runs an hour at most\), got 1 hour 30 minutes/);
  });

  test('fails for a wait timeout under a minute', () => {
    expect(() => pipeline().startOnDeploy({ waitForCompletion: true, waitTimeout: Duration.seconds(10) }))
      .toThrow(/waitTimeout must be between 1 and 55 minutes .*, got 10 seconds/);
  });

  test('fails for a wait timeout without waiting', () => {
    expect(() => pipeline().startOnDeploy({ waitTimeout: Duration.minutes(10) }))
      .toThrow(/waitTimeout needs waitForCompletion: true, got waitForCompletion unset or false/);
  });

  describe('the AMI of a region the build makes none in', () => {
    test('fails for a region the distribution gives no AMI, when the app is synthesized', () => {
      pipeline('Pipeline', amiDistribution('us-east-1', 'eu-west-1')).startOnDeploy({ waitForCompletion: true }).amiId('ap-south-1');
      expect(() => app.synth()).toThrow(
        "amiId was given region 'ap-south-1', where the build makes no AMI: it makes AMIs in us-east-1, eu-west-1, its own region and those " +
        'its distributionConfiguration gives an AMI; ' +
        'read one of those regions, or the deployment fails once the build is done');
    });

    test('takes the stack\'s region when the distribution leaves it out, as the build makes the original AMI there', () => {
      const execution = pipeline('Pipeline', amiDistribution('eu-west-1')).startOnDeploy({ waitForCompletion: true });
      execution.amiId();
      execution.amiId('us-east-1');
      expect(() => app.synth()).not.toThrow();

      app = new App();
      stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
      pipeline('Pipeline', amiDistribution('eu-west-1')).startOnDeploy({ waitForCompletion: true }).amiId('eu-central-1');
      expect(() => app.synth()).toThrow(/amiId was given region 'eu-central-1', where the build makes no AMI: it makes AMIs in us-east-1, eu-west-1,/);
    });

    test('fails for another region without a distribution, as the build makes an AMI in its own region only', () => {
      pipeline().startOnDeploy({ waitForCompletion: true }).amiId('eu-west-1');
      expect(() => app.synth()).toThrow(/amiId was given region 'eu-west-1', where the build makes no AMI: it makes AMIs in us-east-1, its own region only, as it has no distributionConfiguration;/);
    });

    test('takes a region added to the distribution after the AMI ID was read', () => {
      const distribution = amiDistribution('us-east-1');
      const execution = pipeline('Pipeline', distribution).startOnDeploy({ waitForCompletion: true });
      const amiId = execution.amiId('eu-west-1');
      distribution.addAmiDistribution({ region: 'eu-west-1' });
      expect(stack.resolve(amiId)['Fn::GetAtt'][1]).toEqual('AmiId.eu-west-1');
      expectValidTemplate(stack);
    });

    test('takes any region in a stack without a fixed region, whose build region is not known', () => {
      app = new App();
      stack = new Stack(app, 'Stack');
      pipeline().startOnDeploy({ waitForCompletion: true }).amiId('eu-west-1');
      expect(() => app.synth()).not.toThrow();
    });

    test('takes any region of an imported distribution, which this app cannot see', () => {
      const distribution = DistributionConfiguration.fromDistributionConfigurationName(stack, 'Imported', 'shared');
      pipeline('Pipeline', distribution).startOnDeploy({ waitForCompletion: true }).amiId('ap-south-1');
      expect(() => app.synth()).not.toThrow();
    });

    test('fails for a region that is not a region code', () => {
      const execution = pipeline().startOnDeploy({ waitForCompletion: true });
      expect(() => execution.amiId('US-EAST-1')).toThrow(/amiId region must be a region code such as us-east-1.*got 'US-EAST-1'/);
    });
  });

  test('fails for the AMI of a container pipeline, and the container image of an AMI pipeline', () => {
    const containerExecution = containerPipeline().startOnDeploy({ waitForCompletion: true });
    expect(() => containerExecution.amiId())
      .toThrow('amiId is only for pipelines that build AMIs, got a pipeline with a containerRecipe; use containerImageUri');
    expect(stack.resolve(containerExecution.containerImageUri)['Fn::GetAtt'][1]).toEqual('ContainerImageUri');
    const amiExecution = pipeline().startOnDeploy({ waitForCompletion: true });
    expect(() => amiExecution.containerImageUri)
      .toThrow('containerImageUri is only for pipelines that build container images, got a pipeline with an imageRecipe; use amiId');
  });

  test('toMachineImage launches instances of the stack\'s region from the AMI the build made there', () => {
    const execution = pipeline().startOnDeploy({ waitForCompletion: true });
    const config = execution.toMachineImage().getImage(stack);

    expect(stack.resolve(config.imageId)).toEqual(stack.resolve(execution.amiId()));
    expect(config.osType).toBe(ec2.OperatingSystemType.LINUX);
    expect(() => pipeline('Other').startOnDeploy().toMachineImage())
      .toThrow(/amiId is only known when the execution waits for the image, set waitForCompletion: true/);
  });

  test('fails to read the AMI of an execution that does not wait', () => {
    const execution = pipeline().startOnDeploy();
    expect(() => execution.amiId()).toThrow(/amiId is only known when the execution waits for the image, set waitForCompletion: true/);
    expect(() => execution.containerImageUri).toThrow(/containerImageUri is only known when the execution waits for the image/);
  });
});
