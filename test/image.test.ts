import { App, CfnElement, CfnParameter, Duration, NestedStack, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  AwsManagedComponent, AwsManagedImage, AwsManagedWorkflow, ContainerParentImage, ContainerRecipe, DistributionConfiguration, IImage, Image,
  ImagePipeline, ImageProps, ImageRecipe, ImageArchitecture, InfrastructureConfiguration, ParentImage, Platform,
} from '../src';
import { expectValidTemplate } from './helpers/cfn-validate';
import { grantedResources, imageBuilderArnInStack } from './helpers/grants';
import { logicalIdOf } from './helpers/logical-ids';
import { expectNoNagErrors } from './helpers/nag';

let stack: Stack;

beforeEach(() => {
  stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

function recipe(id = 'Recipe') {
  return new ImageRecipe(stack, id, {
    parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
    components: [{ component: AwsManagedComponent.updateOs(stack, `${id}Update`, { platform: Platform.LINUX }) }],
  });
}

function newImage(props: Partial<ImageProps> = {}, id = 'Image') {
  return new Image(stack, id, { imageRecipe: props.containerRecipe ? undefined : recipe(`${id}Recipe`), ...props });
}

/** A container recipe from Docker Hub's Amazon Linux 2023 that pushes to `repository`. */
function containerRecipeIn(repository: ecr.IRepository) {
  return new ContainerRecipe(stack, 'Container', {
    parentImage: ContainerParentImage.fromDockerHub('amazonlinux', { tag: '2023' }),
    targetRepository: repository,
    components: [{ component: AwsManagedComponent.updateOs(stack, 'Update', { platform: Platform.LINUX }) }],
  });
}

describe('Image', () => {
  test('defaults: built at deployment with secure infrastructure; AMIs and snapshots removed with the stack', () => {
    const image = newImage();

    const template = Template.fromStack(stack);
    template.hasResource('AWS::ImageBuilder::Image', {
      DeletionPolicy: 'Delete',
      Properties: {
        ImageRecipeArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Recipe'), 'Arn'] },
        DeletionSettings: { ExecutionRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeletionRole'), 'Arn'] } },
        ImageTestsConfiguration: { ImageTestsEnabled: true },
        EnhancedImageMetadataEnabled: true,
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'imagebuilder.amazonaws.com' } })] },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/EC2ImageBuilderLifecycleExecutionPolicy']] }],
    });
    expect(stack.resolve(image.imageId)).toEqual({ 'Fn::GetAtt': [logicalIdOf(image), 'ImageId'] });
    expect(Image.isImage(image)).toBe(true);
    expect(image.platform).toBe(Platform.LINUX);
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('removalPolicy RETAIN keeps the image and what it made', () => {
    newImage({ removalPolicy: RemovalPolicy.RETAIN });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::ImageBuilder::Image', { DeletionPolicy: 'Retain', Properties: { DeletionSettings: Match.absent() } });
    template.resourceCountIs('AWS::IAM::Role', 1); // only the build instance role
  });

  test('all properties', () => {
    const role = new iam.Role(stack, 'Exec', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') });
    const logGroup = new logs.LogGroup(stack, 'Logs');
    newImage({
      imageTestsEnabled: true,
      imageTestsTimeout: Duration.minutes(90),
      imageScanningEnabled: true,
      enhancedImageMetadataEnabled: false,
      executionRole: role,
      logGroup,
      tags: { team: 'platform' },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Image', {
      ImageTestsConfiguration: { ImageTestsEnabled: true, TimeoutMinutes: 90 },
      ImageScanningConfiguration: { ImageScanningEnabled: true },
      EnhancedImageMetadataEnabled: false,
      ExecutionRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('Exec'), 'Arn'] },
      LoggingConfiguration: { LogGroupName: { Ref: Match.stringLikeRegexp('Logs') } },
      Tags: { team: 'platform' },
    });
    expectValidTemplate(stack);
  });

  test('a container image: the default infrastructure may push to the target repository', () => {
    const repository = new ecr.Repository(stack, 'Repo');
    const containerRecipe = containerRecipeIn(repository);
    const image = newImage({ containerRecipe });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::Image', { ContainerRecipeArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Container'), 'Arn'] } });
    // The one statement that allows pushing: the default infrastructure's instance role, on the target repository alone.
    const instanceRole = (image.infrastructureConfiguration as InfrastructureConfiguration).role!;
    const pushStatements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement.map((statement: any) => ({ Roles: p.Properties.Roles, ...statement })))
      .filter((statement) => [statement.Action].flat().includes('ecr:PutImage'));
    expect(pushStatements).toEqual([{
      Roles: [{ Ref: stack.getLogicalId(instanceRole.node.defaultChild as CfnElement) }],
      Action: [
        'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer',
        'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage',
      ],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [stack.getLogicalId(repository.node.defaultChild as CfnElement), 'Arn'] },
    }]);
    expect(stack.resolve(image.imageUri)).toEqual({ 'Fn::GetAtt': [logicalIdOf(image), 'ImageUri'] });
    expectValidTemplate(stack);
  });

  test('a container image with an infrastructure configuration of the app: its instances may push to the target repository', () => {
    const repository = new ecr.Repository(stack, 'Repo');
    const containerRecipe = containerRecipeIn(repository);
    const infrastructure = new InfrastructureConfiguration(stack, 'Builders');
    newImage({ containerRecipe, infrastructureConfiguration: infrastructure });
    const pushStatements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement.map((statement: any) => ({ Roles: p.Properties.Roles, ...statement })))
      .filter((statement) => [statement.Action].flat().includes('ecr:PutImage'));
    expect(pushStatements).toEqual([{
      Roles: [{ Ref: logicalIdOf(infrastructure.role!) }],
      Action: [
        'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer',
        'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage',
      ],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [logicalIdOf(repository), 'Arn'] },
    }]);
    expectValidTemplate(stack);
  });

  test('fails when no instance type can run the parent image', () => {
    const imageRecipe = new ImageRecipe(stack, 'ArmRecipe', {
      parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023, { architecture: ImageArchitecture.ARM64 }),
      components: [{ component: AwsManagedComponent.updateOs(stack, 'ArmUpdate', { platform: Platform.LINUX }) }],
    });
    const infrastructureConfiguration = new InfrastructureConfiguration(stack, 'Intel', { instanceTypes: [new ec2.InstanceType('c6i.large')] });
    expect(() => new Image(stack, 'Image', { imageRecipe, infrastructureConfiguration }))
      .toThrow('instanceTypes c6i.large of Stack/Intel are all x86_64, but the parentImage of Stack/ArmRecipe is arm64');
  });

  test('a given deletion role removes what the image made, and no other is created', () => {
    const role = new iam.Role(stack, 'Cleaner', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') });
    const image = newImage({ deletionExecutionRole: role });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::Image', {
      DeletionSettings: { ExecutionRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Cleaner'), 'Arn'] } },
    });
    // Two roles: the given deletion role and the default infrastructure's instance role; no
    // deletion role of the image's own, nor an execution role (no workflows, no custom log group).
    template.resourceCountIs('AWS::IAM::Role', 2);
    const instanceRole = (image.infrastructureConfiguration as InfrastructureConfiguration).role!;
    expect(Object.keys(template.findResources('AWS::IAM::Role')).sort()).toEqual(
      [role, instanceRole].map((r) => stack.getLogicalId(r.node.defaultChild as CfnElement)).sort());
    expectValidTemplate(stack);
  });

  test('fails for a distribution that turns Fast Launch on for a Linux recipe', () => {
    newImage({ distributionConfiguration: new DistributionConfiguration(stack, 'Distribution', { amiDistributions: [{ fastLaunchConfigurations: [{}] }] }) });
    expect(() => App.of(stack)!.synth()).toThrow(/distributionConfiguration turns Fast Launch on for us-east-1, which is for Windows AMIs only, got a recipe for Linux/);
  });

  describe('toMachineImage', () => {
    test('launches an instance of the stack\'s region from the AMI, with the user data of the platform', () => {
      const image = newImage();
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
      const instance = new ec2.Instance(stack, 'Web', { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: image.toMachineImage() });
      instance.addUserData('echo ready');

      const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::EC2::Instance')) as any[];
      expect(resource.Properties.ImageId).toEqual({ 'Fn::GetAtt': [logicalIdOf(image), 'ImageId'] });
      expect(resource.Properties.UserData).toEqual({ 'Fn::Base64': '#!/bin/bash\necho ready' });
      expectValidTemplate(stack);
    });

    test('gives Windows user data for a Windows recipe', () => {
      const windows = new ImageRecipe(stack, 'WindowsRecipe', {
        parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.WINDOWS_SERVER_2022_FULL),
        components: [{ component: AwsManagedComponent.updateOs(stack, 'UpdateWindows', { platform: Platform.WINDOWS }) }],
      });
      const config = new Image(stack, 'Windows', { imageRecipe: windows }).toMachineImage().getImage(stack);

      expect(config.osType).toBe(ec2.OperatingSystemType.WINDOWS);
      expect(config.userData.render()).toBe('<powershell></powershell>');
    });

    test('warns where the recipe\'s platform is not known, as the user data is then for Linux', () => {
      const byId = new ImageRecipe(stack, 'ByIdRecipe', {
        parentImage: ParentImage.fromAmiId('ami-0123456789abcdef0'),
        components: [{ component: AwsManagedComponent.updateOs(stack, 'UpdateById', { platform: Platform.LINUX }) }],
      });
      const image = new Image(stack, 'ById', { imageRecipe: byId });
      expect(image.platform).toBeUndefined();
      const config = image.toMachineImage().getImage(stack);

      expect(config.osType).toBe(ec2.OperatingSystemType.LINUX);
      Annotations.fromStack(stack).hasWarning('/Stack', 'the platform of the AMI of Stack/ById is not known (its recipe does not say), ' +
        "so its user data is for Linux; give the parent image's platform (the platform option of ParentImage.fromAmiId, fromSsmParameterName " +
        'and the like, or of an imported recipe), Platform.LINUX included [ack: cdk-imagebuilder:unknownMachineImagePlatform]');
    });

    test('fails for an instance of a stack of another region, where the AMI is not', () => {
      const image = newImage();
      const europe = new Stack(App.of(stack)!, 'Europe', { env: { account: '123456789012', region: 'eu-west-1' } });
      expect(() => image.toMachineImage().getImage(europe))
        .toThrow('the AMI of Stack/Image is in us-east-1, where the image was built, got Europe in eu-west-1; launch it in us-east-1, ' +
          'or distribute the image to eu-west-1 and read its AMI ID there');
    });

    test('fails for a container image', () => {
      const image = newImage({ containerRecipe: containerRecipeIn(new ecr.Repository(stack, 'Repository')) });
      expect(() => image.toMachineImage())
        .toThrow('toMachineImage is only for images that build AMIs, got an image of a container recipe; use imageUri');
    });
  });

  describe('removing the container images of a container image', () => {
    const ACCESS_TAG = { Key: 'LifecycleExecutionAccess', Value: 'EC2 Image Builder' };
    const ACCESS_WARNING = /LifecycleExecutionAccess/;

    test('tags the target repository this app created, so that the lifecycle execution policy may delete its images', () => {
      newImage({ containerRecipe: containerRecipeIn(new ecr.Repository(stack, 'Repo')) });

      Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', { Tags: Match.arrayWith([ACCESS_TAG]) });
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(ACCESS_WARNING.source))).toEqual([]);
      expectValidTemplate(stack);
      expectNoNagErrors(stack);
    });

    test('tags the target repository for a given deletion role too', () => {
      const role = new iam.Role(stack, 'Cleaner', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') });
      newImage({ containerRecipe: containerRecipeIn(new ecr.Repository(stack, 'Repo')), deletionExecutionRole: role });

      Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', { Tags: Match.arrayWith([ACCESS_TAG]) });
      expectValidTemplate(stack);
    });

    test('warns, naming the tag, when the target repository was not created in this app', () => {
      newImage({ containerRecipe: containerRecipeIn(ecr.Repository.fromRepositoryName(stack, 'Repo', 'shared-images')) });

      Annotations.fromStack(stack).hasWarning('/Stack/Image', Match.stringLikeRegexp(
        'removalPolicy DESTROY deletes images from shared-images only if that repository has the tag LifecycleExecutionAccess: EC2 Image Builder'));
      expectValidTemplate(stack);
    });

    test('warns, naming the tag, for an imported container recipe, whose repository this app does not know', () => {
      newImage({ containerRecipe: ContainerRecipe.fromContainerRecipeName(stack, 'Imported', 'web') });

      Annotations.fromStack(stack).hasWarning('/Stack/Image', Match.stringLikeRegexp(
        'removalPolicy DESTROY deletes images from the target repository of the imported container recipe only where the repository ' +
        'has the tag LifecycleExecutionAccess: EC2 Image Builder'));
    });

    test('removalPolicy RETAIN leaves the repository untagged, without a warning', () => {
      newImage({ containerRecipe: containerRecipeIn(new ecr.Repository(stack, 'Repo')), removalPolicy: RemovalPolicy.RETAIN });

      const [repository] = Object.values(Template.fromStack(stack).findResources('AWS::ECR::Repository'));
      expect(repository.Properties?.Tags).toBeUndefined();
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(ACCESS_WARNING.source))).toEqual([]);
    });
  });

  test('fails on a deletion role with removalPolicy RETAIN', () => {
    const role = new iam.Role(stack, 'Cleaner', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') });
    expect(() => newImage({ deletionExecutionRole: role, removalPolicy: RemovalPolicy.RETAIN }))
      .toThrow('deletionExecutionRole is only used with removalPolicy DESTROY, got RETAIN; leave it out');
  });

  test('a container image scanned in a repository of its own, with tags', () => {
    const repository = new ecr.Repository(stack, 'Repo');
    const scans = new ecr.Repository(stack, 'Scans');
    const containerRecipe = containerRecipeIn(repository);
    newImage({ containerRecipe, imageScanningEnabled: true, imageScanningEcrRepository: scans, imageScanningEcrTags: ['scan'] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::Image', {
      ImageScanningConfiguration: { ImageScanningEnabled: true, EcrConfiguration: { RepositoryName: { Ref: Match.stringLikeRegexp('^Scans') }, ContainerTags: ['scan'] } },
    });
    // The build pushes the copy that is scanned to that repository.
    const pushes = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => [st.Action].flat().includes('ecr:PutImage'));
    expect(pushes.map((st: any) => st.Resource)).toEqual([[{ 'Fn::GetAtt': [logicalIdOf(repository), 'Arn'] }, { 'Fn::GetAtt': [logicalIdOf(scans), 'Arn'] }]]);
    expectValidTemplate(stack);
  });

  test('fails on ECR scanning settings for an AMI, or without scanning', () => {
    const scans = new ecr.Repository(stack, 'Scans');
    expect(() => newImage({ imageScanningEnabled: true, imageScanningEcrRepository: scans }))
      .toThrow('imageScanningEcrRepository and imageScanningEcrTags are only for container images, got an image recipe');
    const containerRecipe = containerRecipeIn(new ecr.Repository(stack, 'Repo'));
    expect(() => newImage({ containerRecipe, imageScanningEcrTags: ['scan'] }, 'Unscanned'))
      .toThrow('imageScanningEcrRepository and imageScanningEcrTags need imageScanningEnabled, got none (scanning is off by default)');
  });

  test('toParentImage chains recipes', () => {
    const base = newImage();
    new ImageRecipe(stack, 'Child', {
      parentImage: base.toParentImage(),
      components: [{ component: AwsManagedComponent.reboot(stack, 'Reboot', { platform: Platform.LINUX }) }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImageRecipe', {
      ParentImage: { 'Fn::GetAtt': [stack.getLogicalId(base.node.defaultChild as any), 'Arn'] },
    });
    expectValidTemplate(stack);
  });

  test('a container image is the parent of another container recipe', () => {
    const repository = new ecr.Repository(stack, 'Repo');
    const recipeOf = (id: string, parentImage: ContainerParentImage) => new ContainerRecipe(stack, id, {
      parentImage,
      targetRepository: repository,
      components: [{ component: AwsManagedComponent.updateOs(stack, `${id}Update`, { platform: Platform.LINUX }) }],
    });
    const base = newImage({ containerRecipe: recipeOf('Base', ContainerParentImage.fromDockerHub('amazonlinux')) });
    recipeOf('Child', ContainerParentImage.fromImage(base));
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ContainerRecipe', {
      ParentImage: { 'Fn::GetAtt': [stack.getLogicalId(base.node.defaultChild as any), 'Arn'] },
    });
    expectValidTemplate(stack);
  });

  test('fails for a container image as the parent of an image recipe, and an image with an AMI as that of a container recipe', () => {
    const containerImage = newImage({ containerRecipe: containerRecipeIn(new ecr.Repository(stack, 'Repo')) }, 'ContainerImage');
    const amiImage = newImage({}, 'AmiImage');
    const components = [{ component: AwsManagedComponent.updateOs(stack, 'ChildUpdate', { platform: Platform.LINUX }) }];
    expect(() => new ImageRecipe(stack, 'FromContainer', { parentImage: ParentImage.fromImage(containerImage), components }))
      .toThrow('parentImage must be an image with an AMI, got Stack/ContainerImage, a container image; use ContainerParentImage.fromImage in a ContainerRecipe');
    expect(() => new ContainerRecipe(stack, 'FromAmi', {
      parentImage: ContainerParentImage.fromImage(amiImage), targetRepository: new ecr.Repository(stack, 'ChildRepo'), components,
    })).toThrow('parentImage must be a container image, got Stack/AmiImage, an image with an AMI; use ParentImage.fromImage in an ImageRecipe');
    // An import's kind is not known: it is taken either way.
    const imported = Image.fromImageArn(stack, 'Imported', 'arn:aws:imagebuilder:us-east-1:123456789012:image/golden/x.x.x', Platform.LINUX);
    new ImageRecipe(stack, 'FromImport', { parentImage: ParentImage.fromImage(imported), components });
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::ImageBuilder::ImageRecipe'))).toContain(logicalIdOf(stack.node.findChild('FromImport')));
  });

  test('imports and grants', () => {
    const imported = Image.fromImageArn(stack, 'Imported', 'arn:aws:imagebuilder:us-east-1:123456789012:image/golden/x.x.x', Platform.LINUX);
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    imported.grantRead(role);
    // IAM compares `x.x.x` literally and knows images by build version ARN: every version of the name.
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: 'imagebuilder:GetImage',
          Effect: 'Allow',
          Resource: ['arn:aws:imagebuilder:us-east-1:123456789012:image/golden/x.x.x', 'arn:aws:imagebuilder:us-east-1:123456789012:image/golden/*'],
        }],
      },
    });
    expect(Image.isImage(imported)).toBe(false);
  });

  describe('grants cover the build version ARNs IAM checks', () => {
    const PREFIX = 'arn:aws:imagebuilder:us-east-1:123456789012:image';
    /** `:imagebuilder:...` after the partition, as a formatArn of this stack writes it. */
    const inStack = (rest: string) => imageBuilderArnInStack('image', rest);

    /** The resources of the one statement `grantRead` on `image` gives a new role. */
    const grantReadResources = (image: IImage) => grantedResources(stack, (grantee) => image.grantRead(grantee), 'imagebuilder:GetImage');

    test('a created image: its one build', () => {
      const image = newImage();
      expect(grantReadResources(image)).toEqual({ 'Fn::GetAtt': [logicalIdOf(image), 'Arn'] });
      expectValidTemplate(stack);
    });

    test('fromImageName: every version of the name', () => {
      expect(grantReadResources(Image.fromImageName(stack, 'Imported', 'my-image')))
        .toEqual([inStack('my-image/x.x.x'), inStack('my-image/*')]);
      expectValidTemplate(stack);
    });

    test('a version by name: the version ARN and its builds', () => {
      const imported = Image.fromImageAttributes(stack, 'Imported', { imageName: 'my-image2', imageVersion: '1.0.0' });
      expect(grantReadResources(imported)).toEqual([inStack('my-image2/1.0.0'), inStack('my-image2/1.0.0/*')]);
      expectValidTemplate(stack);
    });

    test('a wildcard version by name: every version of the name', () => {
      const imported = Image.fromImageAttributes(stack, 'Imported', { imageName: 'my-image', imageVersion: '1.x.x' });
      expect(grantReadResources(imported)).toEqual([inStack('my-image/1.x.x'), inStack('my-image/*')]);
      expectValidTemplate(stack);
    });

    test('a build version ARN: that build alone', () => {
      const arn = `${PREFIX}/golden/1.0.3/2`;
      expect(grantReadResources(Image.fromImageArn(stack, 'Imported', arn))).toEqual(arn);
      expectValidTemplate(stack);
    });

    test('a version ARN: the version ARN and its builds', () => {
      const arn = `${PREFIX}/golden/1.0.3`;
      expect(grantReadResources(Image.fromImageArn(stack, 'Imported', arn))).toEqual([arn, `${arn}/*`]);
      expectValidTemplate(stack);
    });

    test('a wildcard version ARN: every version of the name, in literal ARNs', () => {
      const arn = `${PREFIX}/golden/1.2.x`;
      expect(grantReadResources(Image.fromImageArn(stack, 'Imported', arn))).toEqual([arn, `${PREFIX}/golden/*`]);
      expectValidTemplate(stack);
    });

    test('an ARN known only at deployment: every version of the name in it', () => {
      const parameter = new CfnParameter(stack, 'ImageArn');
      const segments = { 'Fn::Split': ['/', { Ref: 'ImageArn' }] };
      expect(grantReadResources(Image.fromImageArn(stack, 'Imported', parameter.valueAsString))).toEqual([
        { Ref: 'ImageArn' },
        { 'Fn::Join': ['', [{ 'Fn::Join': ['/', [{ 'Fn::Select': [0, segments] }, { 'Fn::Select': [1, segments] }]] }, '/*']] },
      ]);
      expectValidTemplate(stack);
    });
  });

  test('imports by build version ARN, by name and by attributes, with name and version', () => {
    const byArn = Image.fromImageArn(stack, 'ByArn', 'arn:aws:imagebuilder:us-east-1:123456789012:image/golden/1.0.3/2');
    expect([byArn.imageName, byArn.imageVersion]).toEqual(['golden', '1.0.3']);

    const byName = Image.fromImageName(stack, 'ByName', 'golden', Platform.LINUX);
    expect(stack.resolve(byName.imageArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:image/golden/x.x.x']],
    });
    expect([byName.imageName, byName.imageVersion, byName.platform]).toEqual(['golden', 'x.x.x', Platform.LINUX]);

    const pinned = Image.fromImageAttributes(stack, 'Pinned', { imageName: 'golden', imageVersion: '1.2.x' });
    expect(stack.resolve(pinned.imageArn)['Fn::Join'][1][2]).toBe(':imagebuilder:us-east-1:123456789012:image/golden/1.2.x');

    // A recipe may start from it.
    new ImageRecipe(stack, 'Child', {
      parentImage: pinned.toParentImage(),
      components: [{ component: AwsManagedComponent.updateOs(stack, 'ChildUpdate', { platform: Platform.LINUX }) }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ImageRecipe', {
      ParentImage: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:123456789012:image/golden/1.2.x']] },
    });
    expectValidTemplate(stack);
  });

  test('a created image names its version after the build ARN', () => {
    const image = newImage();
    const arn = { 'Fn::GetAtt': [logicalIdOf(image), 'Arn'] };
    expect(stack.resolve(image.imageVersion)).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', arn] }] });
    expect(stack.resolve(image.imageName)).toEqual({ 'Fn::GetAtt': [logicalIdOf(image), 'Name'] });
  });

  test('fails on an import by a name that image ARNs cannot hold', () => {
    expect(() => Image.fromImageName(stack, 'I', 'Golden Image'))
      .toThrow("imageName must be the name as image ARNs write it, lowercase letters, digits, hyphens and underscores, got 'Golden Image'");
  });

  test('fails on an import given both an ARN and a name, or neither', () => {
    expect(() => Image.fromImageAttributes(stack, 'Both', { imageArn: 'arn:aws:imagebuilder:us-east-1:123456789012:image/golden/x.x.x', imageName: 'golden' }))
      .toThrow('give imageArn, or imageName with imageVersion, not both; ' +
        "got imageArn 'arn:aws:imagebuilder:us-east-1:123456789012:image/golden/x.x.x' and imageName 'golden'");
    // A token ARN is not shown as its placeholder.
    const arn = new CfnParameter(stack, 'Arn').valueAsString;
    expect(() => Image.fromImageAttributes(stack, 'TokenAndName', { imageArn: arn, imageName: 'foo', imageVersion: '1.0.0' }))
      .toThrow("give imageArn, or imageName with imageVersion, not both; got imageArn (known only at deployment), imageName 'foo' and imageVersion '1.0.0'");
    expect(() => Image.fromImageAttributes(stack, 'Neither', {})).toThrow('give imageArn or imageName to import an image, got neither');
  });

  test('fails on an import version with a wildcard before a number', () => {
    expect(() => Image.fromImageAttributes(stack, 'I', { imageName: 'golden', imageVersion: 'x.1.0' }))
      .toThrow(/imageVersion must be major\.minor\.patch with numbers or trailing x wildcards/);
  });

  test('workflows: empty parameters are left out, listParameters pass every value', () => {
    const executionRole = new iam.Role(stack, 'Exec', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') });
    newImage({
      executionRole,
      workflows: [
        { workflow: AwsManagedWorkflow.buildImage(stack, 'Build'), parameters: {}, listParameters: {} },
        { workflow: AwsManagedWorkflow.testImage(stack, 'Test'), parameters: { a: 'b' }, listParameters: { targets: ['web', 'api'] } },
      ],
    });
    // The AWS-managed workflows' ARNs, latest version (x.x.x), in the aws account.
    const managedWorkflowArn = (typeAndName: string) =>
      ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:imagebuilder:us-east-1:aws:workflow/${typeAndName}/x.x.x`]] });
    const [image] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::Image'));
    expect(image.Properties.Workflows).toEqual([
      { WorkflowArn: managedWorkflowArn('build/build-image') },
      { WorkflowArn: managedWorkflowArn('test/test-image'), Parameters: [{ Name: 'a', Value: ['b'] }, { Name: 'targets', Value: ['web', 'api'] }] },
    ]);
    expectValidTemplate(stack);
  });

  test('fails on two build workflows, as a pipeline does', () => {
    const executionRole = new iam.Role(stack, 'Exec', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') });
    expect(() => newImage({
      executionRole,
      workflows: [{ workflow: AwsManagedWorkflow.buildImage(stack, 'Build') }, { workflow: AwsManagedWorkflow.buildContainer(stack, 'Build2') }],
    })).toThrow('workflows may hold at most 1 build workflow and 10 test workflows, got 2 build and 0 test workflows');
  });

  test('workflows without an executionRole get one with the managed workflow policy, suppressed in cdk-nag with its reason', () => {
    const image = newImage({ workflows: [{ workflow: AwsManagedWorkflow.buildImage(stack, 'Build') }] });
    expect(image.executionRole).toBeDefined();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::Image', {
      ExecutionRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ImageExecutionRole'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'imagebuilder.amazonaws.com' } })] },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/EC2ImageBuilderExecutionPolicy']] }],
    });
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
  });

  test('grantDefaultExecutionRolePermissions gives a given execution role the managed execution policy', () => {
    const role = new iam.Role(stack, 'Given', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') });
    const image = newImage({ workflows: [{ workflow: AwsManagedWorkflow.buildImage(stack, 'Build') }], executionRole: role });
    image.grantDefaultExecutionRolePermissions(role);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ImageBuilder::Image', { ExecutionRole: { 'Fn::GetAtt': [logicalIdOf(role), 'Arn'] } });
    expect(template.toJSON().Resources[logicalIdOf(role)].Properties.ManagedPolicyArns).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/EC2ImageBuilderExecutionPolicy']] },
    ]);
    expectValidTemplate(stack);
    expectNoNagErrors(stack);
    expect(() => Image.fromImageName(stack, 'Imported', 'golden').grantDefaultExecutionRolePermissions(
      iam.Role.fromRoleName(stack, 'ImportedRole', 'builds'))).toThrow(/got 'Stack\/ImportedRole', which is not \(imported and immutable roles take no policies\); attach the policy where the role is defined/);
  });

  test('a log group named under /aws/imagebuilder/ needs no execution role', () => {
    const image = newImage({ logGroup: new logs.LogGroup(stack, 'Logs', { logGroupName: '/aws/imagebuilder/golden/images' }) });

    expect(image.executionRole).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Image', {
      LoggingConfiguration: { LogGroupName: { Ref: Match.stringLikeRegexp('^Logs') } },
      ExecutionRole: Match.absent(),
    });
  });

  test('the image, whose build starts when it is created, waits for the policy that lets its execution role write to the log group', () => {
    const role = new iam.Role(stack, 'Given', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') });
    const created = newImage({ logGroup: new logs.LogGroup(stack, 'Logs', { logGroupName: 'builds/golden' }) });
    const given = newImage({ logGroup: new logs.LogGroup(stack, 'MoreLogs'), executionRole: role }, 'Second');

    const template = Template.fromStack(stack);
    const policyOf = (executionRole: iam.IRole) => Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([, p]: [string, any]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: logicalIdOf(executionRole) }]))
      .map(([id]) => id);
    for (const image of [created, given]) {
      expect(policyOf(image.executionRole!)).toHaveLength(1);
      expect(template.findResources('AWS::ImageBuilder::Image')[logicalIdOf(image)].DependsOn).toEqual(expect.arrayContaining(policyOf(image.executionRole!)));
    }
    expectValidTemplate(stack);
  });

  test('fails for a log group name Image Builder does not take', () => {
    expect(() => newImage({ logGroup: logs.LogGroup.fromLogGroupName(stack, 'Logs', 'builds:golden') }))
      .toThrow("logGroup must be a log group whose name has 1 to 512 letters, digits and the characters - _ / . (Image Builder takes no others), got 'builds:golden'");
  });

  test('a custom log group gets an execution role that may write to it; a given role gets that access too', () => {
    expect(newImage({ logGroup: new logs.LogGroup(stack, 'Logs') }).executionRole).toBeDefined();
    const role = new iam.Role(stack, 'Given', { assumedBy: new iam.ServicePrincipal('imagebuilder.amazonaws.com') });
    expect(newImage({ logGroup: new logs.LogGroup(stack, 'MoreLogs'), executionRole: role }, 'Second').executionRole).toBe(role);
    const template = Template.fromStack(stack);
    for (const [roleId, logsId] of [['^ImageExecutionRole', '^Logs'], ['^Given', '^MoreLogs']]) {
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp(roleId) }],
        PolicyDocument: {
          Statement: [Match.objectLike({
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp(logsId), 'Arn'] },
          })],
        },
      });
    }
    expectValidTemplate(stack);
  });

  test('without workflows or a custom log group there is no execution role', () => {
    expect(newImage().executionRole).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Image', { ExecutionRole: Match.absent() });
  });

  test('fails without a recipe or a pipeline', () => {
    expect(() => new Image(stack, 'I', {})).toThrow('give imageRecipe, containerRecipe or imagePipeline, exactly one, got none');
  });

  test('fails with both recipes', () => {
    const repository = new ecr.Repository(stack, 'Repo');
    expect(() => newImage({ imageRecipe: recipe(), containerRecipe: containerRecipeIn(repository) }))
      .toThrow('give imageRecipe, containerRecipe or imagePipeline, exactly one, got both recipes');
  });

  test('fails on a test timeout out of range', () => {
    expect(() => newImage({ imageTestsTimeout: Duration.minutes(1441) })).toThrow('imageTestsTimeout must be whole minutes from 60 to 1440, got 1441 minutes');
  });

  test('fails on a test timeout with the tests off', () => {
    expect(() => newImage({ imageTestsEnabled: false, imageTestsTimeout: Duration.hours(2) }))
      .toThrow('imageTestsTimeout applies only when the tests run, got imageTestsEnabled false with imageTestsTimeout 2 hours');
  });

  test('fails on a tag key with characters Image Builder refuses', () => {
    expect(() => newImage({ tags: { 'team#1': 'x' } })).toThrow("tags keys may hold letters, digits, white space and _ . : / = + - @, got 'team#1'");
  });

  test('fails on an imported ARN of another type', () => {
    expect(() => Image.fromImageArn(stack, 'I', 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/a-b/1.0.0')).toThrow(/imageArn must be an Image Builder image ARN/);
  });

  describe('built by a pipeline of the app', () => {
    function pipeline(props: { containerRecipe?: ContainerRecipe } = {}) {
      return new ImagePipeline(stack, 'Pipeline', {
        imageRecipe: props.containerRecipe ? undefined : recipe('PipelineRecipe'),
        containerRecipe: props.containerRecipe,
        distributionConfiguration: new DistributionConfiguration(stack, 'Distribution', { amiDistributions: [{ region: 'us-east-1' }] }),
      });
    }

    test('CloudFormation runs the pipeline, by its deployment ID, and builds again when the pipeline changes', () => {
      const imagePipeline = pipeline();
      const image = new Image(stack, 'Image', { imagePipeline, tags: { team: 'platform' } });

      const template = Template.fromStack(stack);
      const [resource] = Object.values(template.findResources('AWS::ImageBuilder::Image'));
      // Only the settings: the recipe, infrastructure and everything else are the pipeline's.
      expect(resource).toEqual({
        Type: 'AWS::ImageBuilder::Image',
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
        Properties: {
          ImagePipelineExecutionSettings: { DeploymentId: { 'Fn::GetAtt': [logicalIdOf(imagePipeline), 'DeploymentId'] }, OnUpdate: true },
          DeletionSettings: { ExecutionRole: { 'Fn::GetAtt': [expect.stringMatching(/DeletionRole/), 'Arn'] } },
          Tags: { team: 'platform' },
        },
      });
      expect(stack.resolve(imagePipeline.imagePipelineDeploymentId)).toEqual({ 'Fn::GetAtt': [logicalIdOf(imagePipeline), 'DeploymentId'] });
      expect(image.infrastructureConfiguration).toBe(imagePipeline.infrastructureConfiguration);
      expect(image.platform).toBe(Platform.LINUX);
      expect(image.executionRole).toBeUndefined();
      expect(stack.resolve(image.imageId)).toEqual({ 'Fn::GetAtt': [logicalIdOf(image), 'ImageId'] });
      template.resourceCountIs('AWS::ImageBuilder::InfrastructureConfiguration', 1); // the pipeline's only
      expectValidTemplate(stack);
      expectNoNagErrors(stack);
    });

    test('rebuildOnPipelineUpdate false builds once; RETAIN keeps the image without deletion settings', () => {
      new Image(stack, 'Image', { imagePipeline: pipeline(), rebuildOnPipelineUpdate: false, removalPolicy: RemovalPolicy.RETAIN });

      Template.fromStack(stack).hasResource('AWS::ImageBuilder::Image', {
        DeletionPolicy: 'Retain',
        Properties: { ImagePipelineExecutionSettings: { OnUpdate: false }, DeletionSettings: Match.absent() },
      });
      expectValidTemplate(stack);
    });

    test("a container pipeline's image: the platform is the recipe's, and the target repository is tagged for deletion", () => {
      const image = new Image(stack, 'Image', { imagePipeline: pipeline({ containerRecipe: containerRecipeIn(new ecr.Repository(stack, 'Repo')) }) });

      expect(image.platform).toBe(Platform.LINUX);
      Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
        Tags: Match.arrayWith([{ Key: 'LifecycleExecutionAccess', Value: 'EC2 Image Builder' }]),
      });
      expectValidTemplate(stack);
    });

    test('fails for a pipeline of another stack, whose changing deployment ID would be an export that no update could change', () => {
      const imagePipeline = pipeline();
      const consumer = new Stack(stack.node.root as App, 'Consumer', { env: { account: '123456789012', region: 'us-east-1' } });
      expect(() => new Image(consumer, 'Image', { imagePipeline })).toThrow(
        "imagePipeline must be in the image's stack (or a stack nested in the same one), got Stack/Pipeline of stack Stack: the image refers " +
        "to the pipeline's deployment ID, which changes with every change of the pipeline, and CloudFormation cannot change an export that " +
        'another stack imports, so no later update of the pipeline would deploy; create the Image in Stack, or start the pipeline from this ' +
        'stack with a PipelineExecution');
    });

    test('an image of a container recipe of another stack gets the same warning as a pipeline', () => {
      const consumer = new Stack(stack.node.root as App, 'Consumer', { env: { account: '123456789012', region: 'us-east-1' } });
      new Image(consumer, 'Image', { containerRecipe: containerRecipeIn(new ecr.Repository(stack, 'Repo')) });
      Annotations.fromStack(consumer).hasWarning('/Consumer/Image', Match.stringLikeRegexp(
        '^the recipe Stack/.* is in another stack, so its ARN is imported through an export; .*\\[ack: cdk-imagebuilder:recipeInOtherStack\\]$'));
    });

    test('a pipeline of a nested stack is referred to without an export', () => {
      const builds = new NestedStack(stack, 'Builds');
      const imagePipeline = new ImagePipeline(builds, 'Pipeline', {
        imageRecipe: new ImageRecipe(builds, 'PipelineRecipe', {
          parentImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023),
          components: [{ component: AwsManagedComponent.updateOs(builds, 'Update', { platform: Platform.LINUX }) }],
        }),
      });
      new Image(stack, 'Image', { imagePipeline });

      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::Image', {
        ImagePipelineExecutionSettings: { DeploymentId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BuildsNestedStack'), Match.stringLikeRegexp('DeploymentId')] } },
      });
      expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('Fn::ImportValue');
    });

    test('fails on settings the pipeline decides, naming each', () => {
      const imagePipeline = pipeline();
      expect(() => new Image(stack, 'Image', {
        imagePipeline,
        imageRecipe: recipe(),
        imageTestsEnabled: false,
        logGroup: new logs.LogGroup(stack, 'Logs'),
      })).toThrow("imagePipeline builds with the pipeline's recipe and settings; leave out imageRecipe, imageTestsEnabled, logGroup (set them on the pipeline)");
    });

    test('fails on rebuildOnPipelineUpdate without a pipeline', () => {
      expect(() => newImage({ rebuildOnPipelineUpdate: true }))
        .toThrow('rebuildOnPipelineUpdate is only used with imagePipeline, got true without one; leave it out');
    });
  });
});
