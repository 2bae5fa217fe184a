import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { expectValidTemplate } from './helpers/cfn-validate';
import { expectNoNagErrors } from './helpers/nag';
import { buildApp as buildContainerImage } from '../examples/container-image/app';
import { buildApp } from '../examples/first-component/app';
import { buildApp as buildGoldenAmi } from '../examples/golden-ami/app';
import { buildApp as buildImageFactory } from '../examples/image-factory/app';
import { buildApp as buildPipelineImage } from '../examples/pipeline-image/app';
import { buildApp as buildSharedComponent } from '../examples/shared-component/app';
import { buildApp as buildStartOnDeploy } from '../examples/start-on-deploy/app';

describe('examples/first-component', () => {
  let outdir: string;

  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-'));
  });

  afterEach(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('synthesizes two components and a recipe, and passes cdk-nag', () => {
    const app = buildApp(outdir);
    expectNoNagErrors(app);

    const stack = app.node.findChild('FirstComponent') as any;
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ImageBuilder::Component', 2);
    template.resourceCountIs('AWS::ImageBuilder::ImageRecipe', 1);
    template.hasOutput('UpdateOsComponentArn', {});
  });

  test('passes AWS CloudFormation Validate', () => {
    const app = buildApp(outdir);
    expectValidTemplate(app.node.findChild('FirstComponent') as any);
  });
});

describe('examples/image-factory', () => {
  test('a scheduled pipeline to two regions with an SSM parameter, a container pipeline, a deploy-time image and a lifecycle policy pass CloudFormation Validate and cdk-nag', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-'));
    try {
      const app = buildImageFactory(outdir);
      expectNoNagErrors(app);
      const stack = app.node.findChild('ImageFactory') as any;
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ImageBuilder::ImagePipeline', 2);
      template.resourceCountIs('AWS::ImageBuilder::Image', 1);
      template.hasResourceProperties('AWS::ImageBuilder::LifecyclePolicy', {
        ResourceType: 'AMI_IMAGE',
        ResourceSelection: { Recipes: [Match.objectLike({ SemanticVersion: Match.stringLikeRegexp('x') })] },
        PolicyDetails: [Match.objectLike({ Action: Match.objectLike({ Type: 'DELETE' }), Filter: { Type: 'COUNT', Value: 5 } })],
      });
      template.hasResourceProperties('AWS::ImageBuilder::DistributionConfiguration', {
        Distributions: ['us-east-1', 'eu-west-1'].map((region) => Match.objectLike({
          Region: region,
          SsmParameterConfigurations: [{ ParameterName: '/images/golden-al2023/latest', DataType: 'aws:ec2:image' }],
        })),
      });
      expectValidTemplate(stack);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe.each([
  ['golden-ami', 'GoldenAmi', buildGoldenAmi, (template: Template) => {
    template.resourceCountIs('AWS::ImageBuilder::ImagePipeline', 1);
    template.resourceCountIs('AWS::ImageBuilder::LifecyclePolicy', 1);
    template.hasResourceProperties('AWS::ImageBuilder::DistributionConfiguration', {
      Distributions: ['us-east-1', 'eu-west-1'].map((region) => Match.objectLike({
        Region: region, SsmParameterConfigurations: [{ ParameterName: '/images/golden-al2023/latest', DataType: 'aws:ec2:image' }],
      })),
    });
  }],
  ['container-image', 'ContainerImage', buildContainerImage, (template: Template) => {
    template.hasResourceProperties('AWS::ECR::Repository', { ImageScanningConfiguration: { ScanOnPush: true }, ImageTagMutability: 'IMMUTABLE' });
    template.resourceCountIs('AWS::ImageBuilder::ContainerRecipe', 1);
  }],
  ['shared-component', 'SharedComponent', buildSharedComponent, (template: Template) => {
    template.resourceCountIs('Custom::ImageBuilderResourcePolicy', 1);
    template.resourceCountIs('AWS::Lambda::Function', 1);
  }],
  ['start-on-deploy', 'StartOnDeploy', buildStartOnDeploy, (template: Template) => {
    template.hasResourceProperties('Custom::ImageBuilderPipelineExecution', { WaitForCompletion: true, WaitTimeoutSeconds: 3000 });
    template.hasResourceProperties('AWS::SSM::Parameter', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PipelineExecution'), 'AmiId'] } });
  }],
  ['pipeline-image', 'PipelineImage', buildPipelineImage, (template: Template) => {
    template.hasResourceProperties('AWS::ImageBuilder::Image', {
      ImagePipelineExecutionSettings: { DeploymentId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Pipeline'), 'DeploymentId'] }, OnUpdate: true },
    });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ ImageId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Current'), 'ImageId'] } }),
    });
    template.resourceCountIs('AWS::Lambda::Function', 0); // CloudFormation runs the pipeline itself
  }],
])('examples/%s', (_name, stackName, build, expectations) => {
  test('synthesizes, passes AWS CloudFormation Validate and cdk-nag', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-'));
    try {
      const app = build(outdir);
      expectNoNagErrors(app);
      const stack = app.node.findChild(stackName) as any;
      expectations(Template.fromStack(stack));
      expectValidTemplate(stack);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
