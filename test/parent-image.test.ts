import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import {
  AwsManagedComponent, AwsManagedImage, Component, ContainerParentImage, ContainerRecipe, ImageArchitecture, ImageRecipe, OsVersion, ParentImage,
  Platform,
} from '../src';
import { inAwsPartition } from './helpers/arns';
import { expectValidTemplate } from './helpers/cfn-validate';

let stack: Stack;

beforeEach(() => {
  stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
});

function recipeWith(parentImage: ParentImage, platform = Platform.LINUX) {
  return new ImageRecipe(stack, 'Recipe', {
    parentImage,
    components: [{ component: Component.fromComponentAttributes(stack, 'Tools', { componentName: 'tools', platform }) }],
  });
}

function parentImageOf(): any {
  const [recipe] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::ImageRecipe'));
  return stack.resolve(recipe.Properties.ParentImage);
}


describe('ParentImage', () => {
  test('fromAmiId', () => {
    recipeWith(ParentImage.fromAmiId('ami-0123456789abcdef0'));
    expect(parentImageOf()).toBe('ami-0123456789abcdef0');
    expectValidTemplate(stack);
  });

  test('fromSsmParameterName resolves at build time', () => {
    recipeWith(ParentImage.fromSsmParameterName('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'));
    expect(parentImageOf()).toBe('ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64');
    expectValidTemplate(stack);
  });

  test('fromSsmParameter of this stack with a fixed name references it, so it is created first', () => {
    const parameter = new ssm.StringParameter(stack, 'Ami', {
      parameterName: '/golden/base-ami',
      stringValue: 'ami-0123456789abcdef0',
      dataType: ssm.ParameterDataType.AWS_EC2_IMAGE,
    });
    recipeWith(ParentImage.fromSsmParameter(parameter));
    expect(parentImageOf()).toEqual({ 'Fn::Join': ['', ['ssm:', { Ref: stack.getLogicalId(parameter.node.defaultChild as ssm.CfnParameter) }]] });
    expectValidTemplate(stack);
  });

  test('fromSsmParameter of this stack with a generated name references it', () => {
    const parameter = new ssm.StringParameter(stack, 'Ami', { stringValue: 'ami-0123456789abcdef0' });
    recipeWith(ParentImage.fromSsmParameter(parameter));
    expect(parentImageOf()).toEqual({ 'Fn::Join': ['', ['ssm:', { Ref: stack.getLogicalId(parameter.node.defaultChild as ssm.CfnParameter) }]] });
    expectValidTemplate(stack);
  });

  test('fromSsmParameter of an imported parameter adds no dependency', () => {
    const parameter = ssm.StringParameter.fromStringParameterName(stack, 'Ami', '/golden/ami');
    recipeWith(ParentImage.fromSsmParameter(parameter));
    const [recipe] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::ImageRecipe'));
    expect(recipe.DependsOn).toBeUndefined();
    expect(parentImageOf()).toBe('ssm:/golden/ami');
  });

  test('fromSsmParameter of a parameter imported by ARN, as another account shares it, gives Image Builder the ARN', () => {
    const arn = 'arn:aws:ssm:eu-west-1:210987654321:parameter/golden/base-ami';
    const parameter = ssm.StringParameter.fromStringParameterArn(stack, 'Shared', arn);
    recipeWith(ParentImage.fromSsmParameter(parameter));
    // No template validation: fromStringParameterArn adds a CloudFormation parameter of its own that nothing references.
    expect(parentImageOf()).toBe(`ssm:${arn}`);
  });

  test.each([
    [AwsManagedImage.AMAZON_LINUX_2023, ImageArchitecture.X86_64, 'amazon-linux-2023-x86', Platform.LINUX],
    [AwsManagedImage.AMAZON_LINUX_2023, ImageArchitecture.ARM64, 'amazon-linux-2023-arm64', Platform.LINUX],
    [AwsManagedImage.AMAZON_LINUX_2, ImageArchitecture.X86_64, 'amazon-linux-2-x86', Platform.LINUX],
    [AwsManagedImage.UBUNTU_22_04, ImageArchitecture.ARM64, 'ubuntu-server-22-lts-arm64', Platform.LINUX],
    [AwsManagedImage.UBUNTU_24_04, ImageArchitecture.X86_64, 'ubuntu-server-24-lts-x86', Platform.LINUX],
    [AwsManagedImage.RHEL_10, ImageArchitecture.X86_64, 'red-hat-enterprise-linux-10-x86', Platform.LINUX],
    [AwsManagedImage.SLES_15, ImageArchitecture.ARM64, 'suse-linux-enterprise-server-15-arm64', Platform.LINUX],
    [AwsManagedImage.WINDOWS_SERVER_2016_CORE, ImageArchitecture.X86_64, 'windows-server-2016-english-core-base-x86', Platform.WINDOWS],
    [AwsManagedImage.WINDOWS_SERVER_2019_FULL, ImageArchitecture.X86_64, 'windows-server-2019-english-full-base-x86', Platform.WINDOWS],
    [AwsManagedImage.WINDOWS_SERVER_2022_CORE, ImageArchitecture.X86_64, 'windows-server-2022-english-core-base-x86', Platform.WINDOWS],
    [AwsManagedImage.WINDOWS_SERVER_2025_FULL, ImageArchitecture.X86_64, 'windows-server-2025-english-full-base-x86', Platform.WINDOWS],
    [AwsManagedImage.MACOS_15, ImageArchitecture.ARM64, 'macos-sequoia-arm64', Platform.MACOS],
  ])('fromAwsManagedImage %s %s', (image, architecture, name, platform) => {
    const recipe = recipeWith(ParentImage.fromAwsManagedImage(image, { architecture }), platform);
    expect(recipe.platform).toBe(platform);
    expect(inAwsPartition(parentImageOf())).toBe(`arn:aws:imagebuilder:eu-west-1:aws:image/${name}/x.x.x`);
    expectValidTemplate(stack);
  });

  test('fromAwsManagedImage renders the aws-owned ARN in the stack region, latest version by default', () => {
    recipeWith(ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023));
    expect(inAwsPartition(parentImageOf())).toBe('arn:aws:imagebuilder:eu-west-1:aws:image/amazon-linux-2023-x86/x.x.x');
    expectValidTemplate(stack);
  });

  test('fromAwsManagedImage with a pinned version and a custom image', () => {
    recipeWith(ParentImage.fromAwsManagedImage(AwsManagedImage.of('rocky-linux-9-x86', OsVersion.of(Platform.LINUX, 'Rocky Linux 9')), {
      imageVersion: '2025.1.x',
    }));
    expect(inAwsPartition(parentImageOf())).toBe('arn:aws:imagebuilder:eu-west-1:aws:image/rocky-linux-9-x86/2025.1.x');
  });

  test('fromImageArn and fromMarketplaceProduct', () => {
    const recipe = new ImageRecipe(stack, 'FromImage', {
      parentImage: ParentImage.fromImageArn('arn:aws:imagebuilder:eu-west-1:123456789012:image/golden-base/x.x.x', { platform: Platform.LINUX }),
      components: [{ component: AwsManagedComponent.updateOs(stack, 'U1', { platform: Platform.LINUX }) }],
    });
    new ImageRecipe(stack, 'FromMarketplace', {
      parentImage: ParentImage.fromMarketplaceProduct('prod-abcdefghijklm'),
      components: [{ component: AwsManagedComponent.updateOs(stack, 'U2', { platform: Platform.LINUX }) }],
    });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::ImageRecipe', { ParentImage: 'arn:aws:imagebuilder:eu-west-1:123456789012:image/golden-base/x.x.x' });
    template.hasResourceProperties('AWS::ImageBuilder::ImageRecipe', { ParentImage: 'prod-abcdefghijklm' });
    expect(recipe.platform).toBe(Platform.LINUX);
    expectValidTemplate(stack);
  });

  test('fails on a malformed AMI ID', () => {
    expect(() => recipeWith(ParentImage.fromAmiId('ami-xyz'))).toThrow("parentImage AMI ID must be 'ami-' and 8 or 17 hexadecimal digits, got 'ami-xyz'");
  });

  test('fails on an architecture AWS does not publish', () => {
    const arm = ParentImage.fromAwsManagedImage(AwsManagedImage.WINDOWS_SERVER_2022_FULL, { architecture: ImageArchitecture.ARM64 });
    expect(() => recipeWith(arm, Platform.WINDOWS))
      .toThrow('architecture must be x86_64 for parentImage Windows Server 2022 Full, which AWS publishes for x86_64 only, got arm64');
  });

  test('fails on a malformed managed image version', () => {
    expect(() => recipeWith(ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023, { imageVersion: 'latest' })))
      .toThrow(/imageVersion .*got 'latest'/);
  });

  test('fails on an ARN of another resource type', () => {
    expect(() => recipeWith(ParentImage.fromImageArn('arn:aws:imagebuilder:eu-west-1:123456789012:component/a-b/1.0.0')))
      .toThrow(/parentImage must be an Image Builder image ARN/);
  });

  test('fails on a malformed Marketplace product ID', () => {
    expect(() => recipeWith(ParentImage.fromMarketplaceProduct('ami-0123456789abcdef0')))
      .toThrow("parentImage Marketplace product ID must be 'prod-' and lowercase letters or digits, got 'ami-0123456789abcdef0'");
  });

  test.each([
    'golden-ami',
    'Golden_AMI.v1-2',
    '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
    'arn:aws:ssm:eu-west-1:123456789012:parameter/golden/ami',
    'arn:aws:ssm:eu-west-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
  ])('fromSsmParameterName accepts the name or ARN %p and prefixes it once', (name) => {
    recipeWith(ParentImage.fromSsmParameterName(name));
    expect(parentImageOf()).toBe(`ssm:${name}`);
  });

  test('fromSsmParameterName accepts the ARN of a parameter in the region of a stack of another partition', () => {
    stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-gov-west-1' } });
    const name = 'arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/golden';
    recipeWith(ParentImage.fromSsmParameterName(name));
    expect(parentImageOf()).toBe(`ssm:${name}`);
  });

  test.each([
    ['region us-east-1', "the stack's region eu-west-1", 'arn:aws:ssm:us-east-1:123456789012:parameter/golden/ami'],
    ['partition aws-cn', "the stack's partition aws", 'arn:aws-cn:ssm:eu-west-1:123456789012:parameter/golden/ami'],
  ])('fails on an SSM parameter ARN of %s, where the build cannot read it', (what, stackSide, name) => {
    expect(() => recipeWith(ParentImage.fromSsmParameterName(name)))
      .toThrow(`parentImage must be in ${stackSide}, where the image is built, got SSM parameter ARN '${name}' of ${what}`);
  });

  test('fails on an Image Builder image ARN of another region, as parent image or container parent image', () => {
    const arn = 'arn:aws:imagebuilder:us-east-1:123456789012:image/golden/x.x.x';
    expect(() => recipeWith(ParentImage.fromImageArn(arn)))
      .toThrow(`parentImage must be in the stack's region eu-west-1, where the image is built, got image ARN '${arn}' of region us-east-1`);
    expect(() => new ContainerRecipe(stack, 'Container', {
      parentImage: ContainerParentImage.fromImageArn(arn),
      targetRepository: ecr.Repository.fromRepositoryName(stack, 'Repository', 'app'),
      components: [{ component: Component.fromComponentAttributes(stack, 'ContainerTools', { componentName: 'tools', platform: Platform.LINUX }) }],
    })).toThrow(`parentImage must be in the stack's region eu-west-1, where the image is built, got image ARN '${arn}' of region us-east-1`);
  });

  test('fails on a component of the app in a stack of another region, naming the component', () => {
    const other = new Stack(stack.node.root as App, 'Other', { env: { account: '123456789012', region: 'us-west-2' } });
    const component = Component.fromComponentAttributes(other, 'Tools', { componentName: 'tools', platform: Platform.LINUX });
    expect(() => new ImageRecipe(stack, 'Other', {
      parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
      components: [{ component }],
    })).toThrow("components must be in the stack's region eu-west-1, where the recipe is created, got component Other/Tools, whose ARN is of region us-west-2");
  });

  test('fails on a component ARN of another region in a recipe', () => {
    const arn = 'arn:aws:imagebuilder:us-east-1:123456789012:component/tools/1.0.0/1';
    expect(() => new ImageRecipe(stack, 'Other', {
      parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
      components: [{ component: Component.fromComponentArn(stack, 'Elsewhere', arn) }],
    })).toThrow(`components must be in the stack's region eu-west-1, where the recipe is created, got component ARN '${arn}' of region us-east-1`);
  });

  test.each(['ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64', 'SSM:/golden/ami'])(
    'fails on an SSM parameter name that carries the ssm: prefix: %p', (name) => {
      expect(() => recipeWith(ParentImage.fromSsmParameterName(name))).toThrow(
        `parentImage SSM parameter name must be given without the 'ssm:' prefix, which the library adds, got '${name}'; use '${name.slice(4)}'`);
    });

  test.each(['my parameter', 'golden:ami', 'golden#ami', 'ami/ü', '', 'arn:aws:ssm:eu-west-1:123456789012:document/golden', 'arn:aws:ssm:eu-west-1:12345:parameter/golden'])(
    'fails on a malformed SSM parameter name: %p', (name) => {
      expect(() => recipeWith(ParentImage.fromSsmParameterName(name))).toThrow(
        'parentImage SSM parameter name must be a parameter name of letters, digits, _ . - and /, or a parameter ARN ' +
        `like arn:aws:ssm:us-east-1:123456789012:parameter/golden/ami, got '${name}'`);
    });

  test('fromSsmParameter fails on an imported parameter whose name carries the ssm: prefix', () => {
    const parameter = ssm.StringParameter.fromStringParameterName(stack, 'Ami', 'ssm:golden-ami');
    expect(() => recipeWith(ParentImage.fromSsmParameter(parameter)))
      .toThrow("parentImage SSM parameter name must be given without the 'ssm:' prefix, which the library adds, got 'ssm:golden-ami'; use 'golden-ami'");
  });

  test('fromAwsManagedImage accepts a version with leading zeros', () => {
    recipeWith(ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023, { imageVersion: '2025.06.x' }));
    expect(inAwsPartition(parentImageOf())).toBe('arn:aws:imagebuilder:eu-west-1:aws:image/amazon-linux-2023-x86/2025.06.x');
    expectValidTemplate(stack);
  });

  test('fromImageArn accepts a build version ARN whose version is a date', () => {
    recipeWith(ParentImage.fromImageArn('arn:aws:imagebuilder:eu-west-1:123456789012:image/my-example-image/2019.12.03/1'));
    expect(parentImageOf()).toBe('arn:aws:imagebuilder:eu-west-1:123456789012:image/my-example-image/2019.12.03/1');
    expectValidTemplate(stack);
  });

  test('fromImageArn says why an ARN is refused for its version', () => {
    expect(() => recipeWith(ParentImage.fromImageArn('arn:aws:imagebuilder:eu-west-1:123456789012:image/golden/1.x.2')))
      .toThrow(/^parentImage must be an Image Builder image ARN like .*; its version must be .*every node after the first x must be x too, got '/);
  });

  test.each(['a', 'rocky-linux-9-x86', 'custom_image-01'])('AwsManagedImage.of accepts the image name %p', (name) => {
    recipeWith(ParentImage.fromAwsManagedImage(AwsManagedImage.of(name, OsVersion.of(Platform.LINUX, 'Custom Linux'))));
    expect(inAwsPartition(parentImageOf())).toBe(`arn:aws:imagebuilder:eu-west-1:aws:image/${name}/x.x.x`);
  });

  test.each(['Rocky Linux 9', 'Amazon-Linux-2023-x86', 'rocky/linux', 'rocky.linux', ''])('fails on an AwsManagedImage.of name outside image ARNs: %p', (name) => {
    const image = AwsManagedImage.of(name, OsVersion.of(Platform.LINUX, 'Custom Linux'));
    expect(() => recipeWith(ParentImage.fromAwsManagedImage(image))).toThrow(
      `parentImage AWS-managed image name must be lowercase letters, digits, hyphens and underscores, as in Image Builder image ARNs, got '${name}'`);
  });
});
