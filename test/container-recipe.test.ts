import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnElement, CfnParameter, FileSystem, Lazy, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnContainerRecipe } from 'aws-cdk-lib/aws-imagebuilder';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import {
  AwsManagedComponent, AwsManagedContainerImage, AwsManagedImage, ContainerParentImage, ContainerRecipe, ContainerRecipeProps, DockerfileTemplate,
  EbsVolumeType, IContainerRecipe, OsVersion, ParentImage, Platform, RecipeBlockDevice,
} from '../src';
import { inAwsPartition } from './helpers/arns';
import { expectValidTemplate } from './helpers/cfn-validate';
import { grantedResources, imageBuilderArnInStack } from './helpers/grants';
import { logicalIdOf } from './helpers/logical-ids';

let app: App;
let stack: Stack;
let repository: ecr.Repository;

beforeEach(() => {
  app = new App();
  stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  repository = new ecr.Repository(stack, 'Target', { imageScanOnPush: true });
});

function newRecipe(props: Partial<ContainerRecipeProps> = {}, id = 'Recipe') {
  return new ContainerRecipe(stack, id, {
    parentImage: ContainerParentImage.fromDockerHub('amazonlinux', { tag: '2023' }),
    targetRepository: repository,
    components: [{ component: AwsManagedComponent.updateOs(stack, `${id}Update`, { platform: Platform.LINUX }) }],
    ...props,
  });
}

function parentImageOf(): any {
  const [recipe] = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::ContainerRecipe'));
  return stack.resolve(recipe.Properties.ParentImage);
}

describe('ContainerRecipe', () => {
  test('defaults: Docker type, ECR target, generated Dockerfile, version 1.0.x', () => {
    const recipe = newRecipe();

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ContainerRecipe', {
      ContainerType: 'DOCKER',
      Version: '1.0.x',
      ParentImage: 'amazonlinux:2023',
      TargetRepository: { Service: 'ECR', RepositoryName: { Ref: Match.stringLikeRegexp('^Target') } },
      DockerfileTemplateData: 'FROM {{{ imagebuilder:parentImage }}}\n{{{ imagebuilder:environments }}}\n{{{ imagebuilder:components }}}\n',
      Components: [{ ComponentArn: Match.anyValue() }],
    });
    expect(recipe.platform).toBe(Platform.LINUX);
    expect(ContainerRecipe.isContainerRecipe(recipe)).toBe(true);
    expectValidTemplate(stack);
  });

  test('all properties', () => {
    const key = new kms.Key(stack, 'Key');
    newRecipe({
      containerRecipeName: 'web-container',
      recipeVersion: '1.2.3',
      description: 'Web server container',
      dockerfileTemplate: DockerfileTemplate.fromInline('FROM {{{ imagebuilder:parentImage }}}\n{{{ imagebuilder:components }}}\nCMD ["nginx"]\n'),
      instanceImage: ParentImage.fromAmiId('ami-0123456789abcdef0'),
      instanceBlockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeSize: Size.gibibytes(50), volumeType: EbsVolumeType.GP3 })],
      kmsKey: key,
      platformOverride: Platform.LINUX,
      imageOsVersionOverride: OsVersion.AMAZON_LINUX_2023,
      workingDirectory: '/build',
      tags: { team: 'platform' },
    });

    Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ContainerRecipe', {
      Name: 'web-container',
      Version: '1.2.3',
      Description: 'Web server container',
      DockerfileTemplateData: Match.stringLikeRegexp('CMD \\["nginx"\\]'),
      InstanceConfiguration: {
        Image: 'ami-0123456789abcdef0',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 50, VolumeType: 'gp3' } }],
      },
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      PlatformOverride: 'Linux',
      ImageOsVersionOverride: 'Amazon Linux 2023',
      WorkingDirectory: '/build',
      Tags: { team: 'platform' },
    });
    expectValidTemplate(stack);
  });

  test('components lists those of the props, then those added; changing the list changes nothing', () => {
    const recipe = newRecipe();
    const reboot = AwsManagedComponent.reboot(stack, 'Reboot', { platform: Platform.LINUX });
    recipe.addComponent(reboot);

    expect(recipe.components.map((c) => c.component)).toEqual([stack.node.findChild('RecipeUpdate'), reboot]);
    recipe.components.pop();
    expect(recipe.components).toHaveLength(2);
  });

  test('fails for a kmsKey of another region', () => {
    expect(() => newRecipe({ kmsKey: kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555') }))
      .toThrow("kmsKey must be in region us-east-1, the region of the recipe, got 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555' of region eu-west-1");
  });

  test('attributes and imports', () => {
    const recipe = newRecipe();
    const logicalId = stack.getLogicalId(recipe.node.defaultChild as CfnContainerRecipe);
    expect(stack.resolve(recipe.containerRecipeArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
    expect(stack.resolve(recipe.containerRecipeLatestVersionArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'LatestVersion.Arn'] });
    expect(stack.resolve(recipe.containerRecipeVersion)).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [logicalId, 'Arn'] }] }] });

    const imported = ContainerRecipe.fromContainerRecipeArn(stack, 'Imported',
      'arn:aws:imagebuilder:us-east-1:123456789012:container-recipe/web/2.0.0');
    expect(imported.containerRecipeName).toBe('web');
    expect(imported.containerRecipeVersion).toBe('2.0.0');
    expect(ContainerRecipe.fromContainerRecipeName(stack, 'ByName', 'web').containerRecipeVersion).toBe('x.x.x');
  });

  test('grantContainerBuild lets the build instance pull the ECR parent and push to the target', () => {
    const parentRepository = ecr.Repository.fromRepositoryName(stack, 'Base', 'base-images');
    const recipe = newRecipe({ parentImage: ContainerParentImage.fromEcr(parentRepository, { tag: 'v1' }) });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    recipe.grantContainerBuild(role);

    const pull = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];
    const push = ['ecr:CompleteLayerUpload', 'ecr:UploadLayerPart', 'ecr:InitiateLayerUpload', 'ecr:PutImage'];
    // The role's one policy: pull alone on the parent, pull and push on the target, the token call on '*', nothing else.
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policies.map((p) => p.Properties.Roles)).toEqual([[{ Ref: stack.getLogicalId(role.node.defaultChild as CfnElement) }]]);
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual([
      {
        Action: pull,
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:us-east-1:123456789012:repository/base-images']] },
      },
      { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
      { Action: [...pull, ...push], Effect: 'Allow', Resource: { 'Fn::GetAtt': [stack.getLogicalId(repository.node.defaultChild as CfnElement), 'Arn'] } },
    ]);
    expect(parentImageOf()).toEqual({ 'Fn::Join': ['', ['123456789012.dkr.ecr.us-east-1.', { Ref: 'AWS::URLSuffix' }, '/base-images:v1']] });
    expectValidTemplate(stack);
  });

  describe('grants cover the version ARNs IAM checks', () => {
    const PREFIX = 'arn:aws:imagebuilder:us-east-1:123456789012:container-recipe';
    const inStack = (rest: string) => imageBuilderArnInStack('container-recipe', rest);

    /** The resources of the statement `grantRead` on `recipe` gives a new role. */
    const grantReadResources = (recipe: IContainerRecipe) => grantedResources(stack, (grantee) => recipe.grantRead(grantee), 'imagebuilder:GetContainerRecipe');

    test('a created recipe with a wildcard version: the version this deployment created, alone', () => {
      const recipe = newRecipe();
      expect(grantReadResources(recipe)).toEqual({ 'Fn::GetAtt': [logicalIdOf(recipe), 'Arn'] });
      expectValidTemplate(stack);
    });

    test('fromContainerRecipeName: every version of the name', () => {
      expect(grantReadResources(ContainerRecipe.fromContainerRecipeName(stack, 'Imported', 'web')))
        .toEqual([inStack('web/x.x.x'), inStack('web/*')]);
      expectValidTemplate(stack);
    });

    test('a version by name: that version ARN alone', () => {
      const imported = ContainerRecipe.fromContainerRecipeAttributes(stack, 'Imported', { containerRecipeName: 'web', containerRecipeVersion: '2.0.1' });
      expect(grantReadResources(imported)).toEqual(inStack('web/2.0.1'));
      expectValidTemplate(stack);
    });

    test('a version ARN: that ARN alone', () => {
      const arn = `${PREFIX}/web/2.0.1`;
      expect(grantReadResources(ContainerRecipe.fromContainerRecipeArn(stack, 'Imported', arn))).toEqual(arn);
      expectValidTemplate(stack);
    });

    test('a wildcard version ARN: every version of the name, in literal ARNs', () => {
      const arn = `${PREFIX}/web/2.x.x`;
      expect(grantReadResources(ContainerRecipe.fromContainerRecipeArn(stack, 'Imported', arn))).toEqual([arn, `${PREFIX}/web/*`]);
      expectValidTemplate(stack);
    });

    test('an ARN known only at deployment: every version of the name in it', () => {
      const parameter = new CfnParameter(stack, 'RecipeArn');
      const segments = { 'Fn::Split': ['/', { Ref: 'RecipeArn' }] };
      expect(grantReadResources(ContainerRecipe.fromContainerRecipeArn(stack, 'Imported', parameter.valueAsString))).toEqual([
        { Ref: 'RecipeArn' },
        { 'Fn::Join': ['', [{ 'Fn::Join': ['/', [{ 'Fn::Select': [0, segments] }, { 'Fn::Select': [1, segments] }]] }, '/*']] },
      ]);
      expectValidTemplate(stack);
    });
  });

  test('Dockerfile templates from a file, an asset and S3', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-'));
    const file = path.join(dir, 'Dockerfile');
    // Unlike the default Dockerfile, so that the file's text, and only it, can be what the recipe holds.
    const text = 'FROM {{{ imagebuilder:parentImage }}}\nLABEL fixture="from-file"\n{{{ imagebuilder:components }}}\nCMD ["/usr/sbin/httpd"]\n';
    fs.writeFileSync(file, text);
    const recipes = [
      newRecipe({ dockerfileTemplate: DockerfileTemplate.fromFile(file) }, 'FromFile'),
      newRecipe({ dockerfileTemplate: DockerfileTemplate.fromAsset(file) }, 'FromAsset'),
      newRecipe({ dockerfileTemplate: DockerfileTemplate.fromS3(s3.Bucket.fromBucketName(stack, 'B', 'templates'), 'web/Dockerfile') }, 'FromS3'),
    ];

    const resources = Template.fromStack(stack).findResources('AWS::ImageBuilder::ContainerRecipe');
    const templates = recipes.map((recipe) => {
      const { DockerfileTemplateData, DockerfileTemplateUri } = resources[stack.getLogicalId(recipe.node.defaultChild as CfnElement)].Properties;
      return { DockerfileTemplateData, DockerfileTemplateUri };
    });
    // The asset's object key is its source hash and the extension of its staged file, `asset.<hash>`.
    const hash = FileSystem.fingerprint(file);
    expect(templates).toEqual([
      { DockerfileTemplateData: text, DockerfileTemplateUri: undefined },
      { DockerfileTemplateData: undefined, DockerfileTemplateUri: `s3://cdk-hnb659fds-assets-123456789012-us-east-1/${hash}.${hash}` },
      { DockerfileTemplateData: undefined, DockerfileTemplateUri: 's3://templates/web/Dockerfile' },
    ]);
    expectValidTemplate(stack);
  });

  test('warns when the Dockerfile has no components placeholder', () => {
    newRecipe({ dockerfileTemplate: DockerfileTemplate.fromInline('FROM {{{ imagebuilder:parentImage }}}\n') });
    Annotations.fromStack(stack).hasWarning('/Stack/Recipe', Match.stringLikeRegexp('components will not run'));
  });

  test('takes the components placeholder written without spaces inside the braces', () => {
    newRecipe({ dockerfileTemplate: DockerfileTemplate.fromInline('FROM {{{imagebuilder:parentImage}}}\n{{{imagebuilder:components}}}\n') });
    Annotations.fromStack(stack).hasNoWarning('/Stack/Recipe', Match.stringLikeRegexp('components will not run'));
  });

  describe('parent images', () => {
    test('ECR Public, Image Builder image ARN and AWS-managed image', () => {
      newRecipe({ parentImage: ContainerParentImage.fromEcrPublic('public.ecr.aws/amazonlinux/amazonlinux:2023') }, 'Public');
      newRecipe({ parentImage: ContainerParentImage.fromImageArn('arn:aws:imagebuilder:us-east-1:123456789012:image/web-base/x.x.x') }, 'Arn');
      newRecipe({ parentImage: ContainerParentImage.fromAwsManagedImage('amazon-linux-x86-2') }, 'Managed');

      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ImageBuilder::ContainerRecipe', { ParentImage: 'public.ecr.aws/amazonlinux/amazonlinux:2023' });
      template.hasResourceProperties('AWS::ImageBuilder::ContainerRecipe', { ParentImage: 'arn:aws:imagebuilder:us-east-1:123456789012:image/web-base/x.x.x' });
      template.hasResourceProperties('AWS::ImageBuilder::ContainerRecipe', {
        ParentImage: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':imagebuilder:us-east-1:aws:image/amazon-linux-x86-2/x.x.x']] },
      });
      expectValidTemplate(stack);
    });

    test.each([
      [AwsManagedContainerImage.AMAZON_LINUX_2, 'amazon-linux-x86-2', Platform.LINUX],
      [AwsManagedContainerImage.AMAZON_LINUX_2023, 'amazon-linux-2023-x86-2023', Platform.LINUX],
      [AwsManagedContainerImage.UBUNTU_22_04, 'ubuntu-22-x86-22-04', Platform.LINUX],
      [AwsManagedContainerImage.UBUNTU_24_04, 'ubuntu-24-x86-24-04', Platform.LINUX],
      [AwsManagedContainerImage.WINDOWS_SERVER_2016_CORE, 'windows-server-2016-x86-core-ltsc2016-amd64', Platform.WINDOWS],
      [AwsManagedContainerImage.WINDOWS_SERVER_2019_CORE, 'windows-server-2019-x86-core-ltsc2019-amd64', Platform.WINDOWS],
      [AwsManagedContainerImage.of('debian-12-x86-12', Platform.LINUX), 'debian-12-x86-12', Platform.LINUX],
    ])('the AWS-managed container image %# is its latest version, and gives the recipe its platform', (image, name, platform) => {
      const recipe = newRecipe({
        parentImage: ContainerParentImage.fromAwsManagedContainerImage(image),
        components: [{ component: AwsManagedComponent.updateOs(stack, 'Update', { platform }) }],
      });
      expect(inAwsPartition(parentImageOf())).toBe(`arn:aws:imagebuilder:us-east-1:aws:image/${name}/x.x.x`);
      expect(recipe.platform).toBe(platform);
    });

    test('an AWS-managed container image at a pinned version, or a version with trailing wildcards', () => {
      newRecipe({
        parentImage: ContainerParentImage.fromAwsManagedContainerImage(AwsManagedContainerImage.UBUNTU_24_04, { imageVersion: '2025.6.x' }),
      }, 'Pinned');
      expect(inAwsPartition(parentImageOf())).toBe('arn:aws:imagebuilder:us-east-1:aws:image/ubuntu-24-x86-24-04/2025.6.x');
      expectValidTemplate(stack);
    });

    test('an AWS-managed container image by name at a version, with the platform given', () => {
      const recipe = newRecipe({
        parentImage: ContainerParentImage.fromAwsManagedImage('windows-server-2022-x86-core-ltsc2022-amd64', {
          imageVersion: '1.0.0', platform: Platform.WINDOWS,
        }),
        components: [{ component: AwsManagedComponent.updateOs(stack, 'UpdateWindows', { platform: Platform.WINDOWS }) }],
      }, 'ByName');
      expect(inAwsPartition(parentImageOf())).toBe('arn:aws:imagebuilder:us-east-1:aws:image/windows-server-2022-x86-core-ltsc2022-amd64/1.0.0');
      expect(recipe.platform).toBe(Platform.WINDOWS);
    });

    test.each([
      ['1.x.2', "imageVersion must be major.minor.patch with numbers or trailing x wildcards (e.g. 1.2.x, x.x.x); every node after the first x must be x too, got '1.x.2'"],
      ['2025.06', "imageVersion must be major.minor.patch with numbers or trailing x wildcards (e.g. 1.2.x, x.x.x), got '2025.06'"],
      ['1.0.0/1', "imageVersion must be major.minor.patch with numbers or trailing x wildcards (e.g. 1.2.x, x.x.x), without a /build number, got '1.0.0/1'"],
    ])('fails on the AWS-managed container image version %s', (imageVersion, message) => {
      expect(() => newRecipe({
        parentImage: ContainerParentImage.fromAwsManagedContainerImage(AwsManagedContainerImage.AMAZON_LINUX_2023, { imageVersion }),
      })).toThrow(message);
    });

    test('a Linux component on an AWS-managed Windows container image fails', () => {
      expect(() => newRecipe({ parentImage: ContainerParentImage.fromAwsManagedContainerImage(AwsManagedContainerImage.WINDOWS_SERVER_2019_CORE) }))
        .toThrow("components must all run on Windows, the platform of the parent image, got component 'update-linux' for Linux");
    });

    test('an AWS-managed image name may hold underscores, as image ARNs do, and nothing else but lowercase letters, digits and hyphens', () => {
      newRecipe({ parentImage: ContainerParentImage.fromAwsManagedImage('windows-server-2022_x86') }, 'Underscore');
      expect(inAwsPartition(parentImageOf())).toBe('arn:aws:imagebuilder:us-east-1:aws:image/windows-server-2022_x86/x.x.x');
      expect(() => newRecipe({ parentImage: ContainerParentImage.fromAwsManagedImage('Amazon Linux 2') }, 'Spaces')).toThrow(
        "parentImage AWS-managed image name must be lowercase letters, digits, hyphens and underscores, as in Image Builder image ARNs, got 'Amazon Linux 2'");
    });

    test('fails on a malformed Docker Hub repository', () => {
      expect(() => newRecipe({ parentImage: ContainerParentImage.fromDockerHub('Amazon Linux') }))
        .toThrow("parentImage Docker Hub repository must be lowercase path components like 'library/ubuntu', got 'Amazon Linux'");
    });

    test('fails on a malformed tag', () => {
      expect(() => newRecipe({ parentImage: ContainerParentImage.fromDockerHub('ubuntu', { tag: '24.04 lts' }) }))
        .toThrow('parentImage tag must be 1 to 128 letters, digits, underscores, dots and hyphens, starting with a letter, digit or underscore, ' +
          "got '24.04 lts'");
    });

    test('a Docker Hub repository may use the separators of the Docker reference grammar: ., _, __ and runs of -', () => {
      for (const [i, name] of ['my.org/tool_kit', 'my__org/tool--kit', 'a---b'].entries()) {
        newRecipe({ parentImage: ContainerParentImage.fromDockerHub(name) }, `Separators${i}`);
      }
      const parents = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::ContainerRecipe')).map((r) => r.Properties.ParentImage);
      expect(parents).toEqual(['my.org/tool_kit:latest', 'my__org/tool--kit:latest', 'a---b:latest']);
      for (const [i, name] of ['a___b', 'a_-b', '-ab', 'ab-', 'a//b'].entries()) {
        expect(() => newRecipe({ parentImage: ContainerParentImage.fromDockerHub(name) }, `Bad${i}`))
          .toThrow(`parentImage Docker Hub repository must be lowercase path components like 'library/ubuntu', got '${name}'`);
      }
    });

    test('fails on an ECR Public URI without a repository after the registry alias', () => {
      expect(() => newRecipe({ parentImage: ContainerParentImage.fromEcrPublic('public.ecr.aws/amazonlinux:2023') }))
        .toThrow(/parentImage ECR Public image must be a URI public\.ecr\.aws\/<registry alias>\/<repository>\[:tag\].*got 'public\.ecr\.aws\/amazonlinux:2023'/);
      newRecipe({ parentImage: ContainerParentImage.fromEcrPublic('public.ecr.aws/docker/library/ubuntu:24.04') }, 'Nested');
    });

    test('fails on a parent image that claims a platform other than Linux or Windows', () => {
      expect(() => newRecipe({ parentImage: ContainerParentImage.fromDockerHub('ubuntu', { platform: Platform.MACOS }) }))
        .toThrow("parentImage platform must be Linux or Windows for a container image, got 'macOS'");
    });

    test('fails on an ECR Public URI of another registry', () => {
      expect(() => newRecipe({ parentImage: ContainerParentImage.fromEcrPublic('docker.io/library/ubuntu') }))
        .toThrow('parentImage ECR Public image must be a URI public.ecr.aws/<registry alias>/<repository>[:tag], with the alias and repository ' +
          "in lowercase, like 'public.ecr.aws/amazonlinux/amazonlinux:2023', got 'docker.io/library/ubuntu'");
    });

    test('fails on an ARN of another resource type', () => {
      expect(() => newRecipe({ parentImage: ContainerParentImage.fromImageArn('arn:aws:imagebuilder:us-east-1:123456789012:container-recipe/a-b/1.0.0') }))
        .toThrow(/parentImage must be an Image Builder image ARN/);
    });
  });

  describe('validation', () => {
    test('fails on a Windows component for a Linux container', () => {
      expect(() => newRecipe({ components: [{ component: AwsManagedComponent.updateOs(stack, 'Win', { platform: Platform.WINDOWS }) }] }))
        .toThrow(/components must all run on Linux, the platform of the parent image, got component 'update-windows' for Windows/);
    });

    test('fails with no component', () => {
      newRecipe({ components: [] });
      expect(() => app.synth()).toThrow(/components must hold at least one build component, got none/);
    });

    test('fails on a Dockerfile without FROM', () => {
      expect(() => newRecipe({ dockerfileTemplate: DockerfileTemplate.fromInline('RUN echo hi\n') }))
        .toThrow("dockerfileTemplate must have a FROM instruction, e.g. 'FROM {{{ imagebuilder:parentImage }}}'");
    });

    test('fails on an inline Dockerfile over the size limit', () => {
      const text = `FROM x\n# ${'x'.repeat(16_000)}`;
      expect(() => newRecipe({ dockerfileTemplate: DockerfileTemplate.fromInline(text) }))
        .toThrow(`dockerfileTemplate must be at most 16000 characters inline, got ${text.length}; use DockerfileTemplate.fromAsset`);
    });

    test('an inline Dockerfile is counted in characters, so 16000 characters with emoji are accepted', () => {
      const head = 'FROM {{{ imagebuilder:parentImage }}}\n{{{ imagebuilder:components }}}\n# ';
      const text = head + '😀'.repeat(16_000 - head.length);
      expect(text.length).toBeGreaterThan(16_000); // UTF-16 code units
      newRecipe({ dockerfileTemplate: DockerfileTemplate.fromInline(text) });
      expect(() => newRecipe({ dockerfileTemplate: DockerfileTemplate.fromInline(text + '😀') }, 'Longer'))
        .toThrow('dockerfileTemplate must be at most 16000 characters inline, got 16001; use DockerfileTemplate.fromAsset');
    });

    test('fails on a Dockerfile with a NUL character', () => {
      expect(() => newRecipe({ dockerfileTemplate: DockerfileTemplate.fromInline('FROM {{{ imagebuilder:parentImage }}}\n\0\n') }))
        .toThrow('dockerfileTemplate must not contain NUL characters');
    });

    test('fails on a missing Dockerfile', () => {
      expect(() => newRecipe({ dockerfileTemplate: DockerfileTemplate.fromFile('no/Dockerfile') }))
        .toThrow(/dockerfileTemplate file 'no\/Dockerfile' does not exist/);
    });

    test('fails on an S3 key with a leading slash', () => {
      expect(() => newRecipe({ dockerfileTemplate: DockerfileTemplate.fromS3(s3.Bucket.fromBucketName(stack, 'B', 'templates'), '/Dockerfile') }))
        .toThrow("dockerfileTemplate S3 key must be a non-empty object key without a leading '/', got '/Dockerfile'");
    });

    test('fails on an OS version override of another platform', () => {
      expect(() => newRecipe({ platformOverride: Platform.LINUX, imageOsVersionOverride: OsVersion.WINDOWS_SERVER_2022 }))
        .toThrow("imageOsVersionOverride must be a Linux version to match platformOverride, got 'Microsoft Windows Server 2022' (Windows)");
    });

    test('fails on an instance image that is not an AMI ID or an SSM parameter', () => {
      const allowed = "instanceImage must be an AMI ID ('ami-' and 8 or 17 hexadecimal digits) or an SSM parameter ('ssm:' and its name), " +
        'from ParentImage.fromAmiId, fromSsmParameter or fromSsmParameterName, got ';
      expect(() => newRecipe({ instanceImage: ParentImage.fromMarketplaceProduct('prod-abcdefghijklm') }, 'Marketplace'))
        .toThrow(`${allowed}'prod-abcdefghijklm'`);
      expect(() => newRecipe({ instanceImage: ParentImage.fromImageArn('arn:aws:imagebuilder:us-east-1:123456789012:image/ecs-base/x.x.x') }, 'Arn'))
        .toThrow(`${allowed}'arn:aws:imagebuilder:us-east-1:123456789012:image/ecs-base/x.x.x'`);
      expect(() => newRecipe({ instanceImage: ParentImage.fromAwsManagedImage(AwsManagedImage.AMAZON_LINUX_2023) }, 'Managed'))
        .toThrow(`${allowed}'arn:…:imagebuilder:us-east-1:aws:image/amazon-linux-2023-x86/x.x.x'`);
    });

    test('a malformed instance image is reported under instanceImage, not parentImage', () => {
      expect(() => newRecipe({ instanceImage: ParentImage.fromAmiId('ami-123') }))
        .toThrow("instanceImage AMI ID must be 'ami-' and 8 or 17 hexadecimal digits, got 'ami-123'");
      expect(() => newRecipe({ instanceImage: ParentImage.fromSsmParameterName('ssm:/ecs/ami') }, 'Prefixed'))
        .toThrow("instanceImage SSM parameter name must be given without the 'ssm:' prefix, which the library adds, got 'ssm:/ecs/ami'; use '/ecs/ami'");
    });

    test('accepts an instance image from an AMI ID, an SSM parameter, or known only at deployment', () => {
      const parameter = new ssm.StringParameter(stack, 'Ami', { stringValue: 'ami-0123456789abcdef0', dataType: ssm.ParameterDataType.AWS_EC2_IMAGE });
      newRecipe({ instanceImage: ParentImage.fromAmiId('ami-01234567') }, 'Ami8');
      newRecipe({ instanceImage: ParentImage.fromSsmParameterName('/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id') }, 'Name');
      newRecipe({ instanceImage: ParentImage.fromSsmParameter(parameter) }, 'Parameter');
      newRecipe({ instanceImage: ParentImage.fromImageArn(Lazy.string({ produce: () => 'ami-0123456789abcdef0' })) }, 'Token');

      const images = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::ContainerRecipe'))
        .map((recipe) => recipe.Properties.InstanceConfiguration.Image);
      expect(images).toEqual([
        'ami-01234567',
        'ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
        { 'Fn::Join': ['', ['ssm:', { Ref: stack.getLogicalId(parameter.node.defaultChild as ssm.CfnParameter) }]] },
        'ami-0123456789abcdef0',
      ]);
    });

    test("accepts an instance image of 'ami-' and a value known only at deployment", () => {
      const digits = new CfnParameter(stack, 'AmiDigits', { type: 'String' }).valueAsString;
      newRecipe({ instanceImage: ParentImage.fromAmiId(`ami-${digits}`) });

      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ContainerRecipe', {
        InstanceConfiguration: { Image: { 'Fn::Join': ['', ['ami-', { Ref: 'AmiDigits' }]] } },
      });
      expectValidTemplate(stack);
    });

    test('accepts an inline Dockerfile known only at deployment, unchecked and passed as given', () => {
      const dockerfile = new CfnParameter(stack, 'Dockerfile', { type: 'String' }).valueAsString;
      newRecipe({ dockerfileTemplate: DockerfileTemplate.fromInline(dockerfile) });

      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ContainerRecipe', {
        DockerfileTemplateData: { Ref: 'Dockerfile' },
        DockerfileTemplateUri: Match.absent(),
      });
      Annotations.fromStack(stack).hasNoWarning('/Stack/Recipe', Match.stringLikeRegexp('components will not run'));
      expectValidTemplate(stack);
    });

    test.each([
      ['region', 'arn:aws:ecr:eu-west-1:123456789012:repository/app', 'region eu-west-1'],
      ['account', 'arn:aws:ecr:us-east-1:999999999999:repository/app', 'account 999999999999'],
      ['account and region', 'arn:aws:ecr:eu-west-1:999999999999:repository/app', 'account 999999999999 and region eu-west-1'],
    ])('fails on a targetRepository of another %s', (_, arn, where) => {
      expect(() => newRecipe({ targetRepository: ecr.Repository.fromRepositoryArn(stack, 'Other', arn) }))
        .toThrow("targetRepository must be in the stack's account 123456789012 and region us-east-1, where Image Builder pushes the image, " +
          `got repository 'app' of ${where}; copy the image to other regions with a distribution configuration, and to other accounts with ECR replication`);
    });

    test('a targetRepository of the stack\'s account and region, or known only at deployment, passes', () => {
      newRecipe({ targetRepository: ecr.Repository.fromRepositoryArn(stack, 'SameRepo', 'arn:aws:ecr:us-east-1:123456789012:repository/app') }, 'Same');
      newRecipe({
        targetRepository: ecr.Repository.fromRepositoryAttributes(stack, 'TokenRepo', {
          repositoryArn: new CfnParameter(stack, 'Arn').valueAsString, repositoryName: 'shared',
        }),
      }, 'Token');
      const names = Object.values(Template.fromStack(stack).findResources('AWS::ImageBuilder::ContainerRecipe'))
        .map((r) => r.Properties.TargetRepository.RepositoryName);
      expect(names).toEqual(['app', 'shared']);
    });

    test('fails on a macOS platform override', () => {
      expect(() => newRecipe({ platformOverride: Platform.MACOS })).toThrow("platformOverride must be Linux or Windows, got 'macOS'");
    });

    test('accepts a Windows platform override', () => {
      newRecipe({
        platformOverride: Platform.WINDOWS,
        components: [{ component: AwsManagedComponent.updateOs(stack, 'Win', { platform: Platform.WINDOWS }) }],
      });
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ContainerRecipe', { PlatformOverride: 'Windows' });
    });

    test('fails on a Linux component with a Windows platform override, naming platformOverride as the source of the platform', () => {
      expect(() => newRecipe({ platformOverride: Platform.WINDOWS }))
        .toThrow("components must all run on Windows, the platform set by platformOverride, got component 'update-linux' for Linux");
    });

    test('fails on instance block device values outside the EBS ranges, naming instanceBlockDevices', () => {
      expect(() => newRecipe({ instanceBlockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeType: EbsVolumeType.GP3, throughput: 1_001 })] }))
        .toThrow("instanceBlockDevices '/dev/xvda': throughput must be a whole number from 125 to 1000, got 1001");
      expect(() => newRecipe({ instanceBlockDevices: [RecipeBlockDevice.ebs('/dev/xvda', { volumeType: EbsVolumeType.SC1, volumeSize: Size.gibibytes(100) })] }, 'Cold'))
        .toThrow("instanceBlockDevices '/dev/xvda': volumeSize must be a whole number of GiB from 125 to 16000 for sc1 volumes, got 100 GiB");
    });

    test('addInstanceBlockDevice gives the build instance devices, with or without an instance image', () => {
      const plain = newRecipe({}, 'Plain');
      const recipe = newRecipe();
      recipe.addInstanceBlockDevice(RecipeBlockDevice.ebs('/dev/xvda', { volumeSize: Size.gibibytes(50) }));

      const resources = Template.fromStack(stack).toJSON().Resources;
      const properties = (r: ContainerRecipe) => resources[stack.getLogicalId(r.node.defaultChild as CfnContainerRecipe)].Properties;
      expect(properties(plain).InstanceConfiguration).toBeUndefined();
      expect(properties(recipe).InstanceConfiguration).toEqual({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 50 } }] });
      expectValidTemplate(stack);
      expect(() => recipe.addInstanceBlockDevice(RecipeBlockDevice.noDevice('/dev/xvda')))
        .toThrow("instanceBlockDevices must name each device once, got '/dev/xvda' twice");
    });

    test('an instance image alone makes an instance configuration without devices', () => {
      newRecipe({ instanceImage: ParentImage.fromAmiId('ami-0123456789abcdef0') });
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ContainerRecipe', {
        InstanceConfiguration: { Image: 'ami-0123456789abcdef0', BlockDeviceMappings: Match.absent() },
      });
    });

    test('fails on a device named twice or without a name, naming instanceBlockDevices', () => {
      expect(() => newRecipe({ instanceBlockDevices: [RecipeBlockDevice.noDevice('/dev/xvdb'), RecipeBlockDevice.noDevice('/dev/xvdb')] }))
        .toThrow("instanceBlockDevices must name each device once, got '/dev/xvdb' twice");
      expect(() => newRecipe({ instanceBlockDevices: [RecipeBlockDevice.noDevice('')] }, 'Unnamed'))
        .toThrow("instanceBlockDevices deviceName must be a device name such as '/dev/xvda', got ''");
    });

    test('accepts instance block devices at the edges of the EBS ranges', () => {
      newRecipe({
        instanceBlockDevices: [RecipeBlockDevice.ebs('/dev/xvda', {
          volumeType: EbsVolumeType.GP3, iops: 4_000, throughput: 1_000, volumeSize: Size.gibibytes(16_000),
        })],
      });
      Template.fromStack(stack).hasResourceProperties('AWS::ImageBuilder::ContainerRecipe', {
        InstanceConfiguration: { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Iops: 4000, Throughput: 1000, VolumeSize: 16000 } }] },
      });
    });

    test('fails on a tag key with characters tags do not allow', () => {
      expect(() => newRecipe({ tags: { 'team#1': 'platform' } }))
        .toThrow("tags keys may hold letters, digits, white space and _ . : / = + - @, got 'team#1'");
    });

    test('fails on a version with a wildcard outside the patch number', () => {
      expect(() => newRecipe({ recipeVersion: 'x.x.x' })).toThrow("recipeVersion may use x only for the patch number, e.g. 1.0.x, got 'x.x.x'");
    });

    test('fails on a malformed name', () => {
      expect(() => newRecipe({ containerRecipeName: 'no/slash' })).toThrow(/containerRecipeName .*got 'no\/slash'/);
    });
  });
});
