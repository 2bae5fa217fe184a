import { App, Aws, CfnParameter, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { ContainerParentImage } from '../src';

let stack: Stack;

beforeEach(() => {
  stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
});

describe('ContainerParentImage', () => {
  test('fails on a Docker Hub tag that starts with a hyphen', () => {
    expect(() => ContainerParentImage.fromDockerHub('ubuntu', { tag: '-foo' }).bind(stack))
      .toThrow('parentImage tag must be 1 to 128 letters, digits, underscores, dots and hyphens, ' +
        "starting with a letter, digit or underscore, got '-foo'");
  });

  test('fails on an ECR tag with a space', () => {
    const repository = new ecr.Repository(stack, 'Repo');
    expect(() => ContainerParentImage.fromEcr(repository, { tag: '24.04 lts' }).bind(stack))
      .toThrow('parentImage tag must be 1 to 128 letters, digits, underscores, dots and hyphens, ' +
        "starting with a letter, digit or underscore, got '24.04 lts'");
  });

  test('fails on an ECR Public URI of another registry, saying the form', () => {
    expect(() => ContainerParentImage.fromEcrPublic('docker.io/library/ubuntu').bind(stack))
      .toThrow('parentImage ECR Public image must be a URI public.ecr.aws/<registry alias>/<repository>[:tag], ' +
        "with the alias and repository in lowercase, like 'public.ecr.aws/amazonlinux/amazonlinux:2023', got 'docker.io/library/ubuntu'");
  });

  test('fails on an ECR Public URI with an uppercase repository', () => {
    expect(() => ContainerParentImage.fromEcrPublic('public.ecr.aws/AmazonLinux/amazonlinux:2023').bind(stack))
      .toThrow('parentImage ECR Public image must be a URI public.ecr.aws/<registry alias>/<repository>[:tag], ' +
        "with the alias and repository in lowercase, like 'public.ecr.aws/amazonlinux/amazonlinux:2023', got 'public.ecr.aws/AmazonLinux/amazonlinux:2023'");
  });

  describe('fromRegistry', () => {
    test.each([
      ['a host with a port, tag given apart', 'registry.example.com:5000/team/base', { tag: '1.4' }, 'registry.example.com:5000/team/base:1.4'],
      ['a tag in the reference', 'mcr.microsoft.com/windows/servercore:ltsc2022', {}, 'mcr.microsoft.com/windows/servercore:ltsc2022'],
      ['a digest', `ghcr.io/org/tool@sha256:${'a'.repeat(64)}`, {}, `ghcr.io/org/tool@sha256:${'a'.repeat(64)}`],
      ['no tag: latest', 'localhost:5000/base', {}, 'localhost:5000/base:latest'],
      ['an IPv6 host', '[fd00::1]:5000/base:1', {}, '[fd00::1]:5000/base:1'],
      ['a Docker Hub repository', 'library/ubuntu:24.04', {}, 'library/ubuntu:24.04'],
    ])('takes %s', (_, reference, options, parentImage) => {
      expect(ContainerParentImage.fromRegistry(reference, options).bind(stack).parentImage).toBe(parentImage);
    });

    test('takes a reference known only at deployment as it is', () => {
      const reference = new CfnParameter(stack, 'Base').valueAsString;
      expect(stack.resolve(ContainerParentImage.fromRegistry(reference).bind(stack).parentImage)).toEqual({ Ref: 'Base' });
    });

    test('checks the text around a token, and takes a token tag as the tag', () => {
      const tag = new CfnParameter(stack, 'Tag').valueAsString;
      expect(stack.resolve(ContainerParentImage.fromRegistry(`registry.example.com/base:${tag}`).bind(stack).parentImage))
        .toEqual({ 'Fn::Join': ['', ['registry.example.com/base:', { Ref: 'Tag' }]] });
      expect(() => ContainerParentImage.fromRegistry(`registry.example.com/base:${tag}`, { tag: 'v2' }).bind(stack))
        .toThrow(/^parentImage tag must be left out when the image reference names a tag or digest, got the tag 'v2'/);
      expect(() => ContainerParentImage.fromRegistry(`https://registry.example.com/base:${tag}`).bind(stack))
        .toThrow(/^parentImage image reference must be \[registry host\[:port\]\/\]repository/);
    });

    test('fails on a private ECR image, which fromEcr gives with the pull permission', () => {
      expect(() => ContainerParentImage.fromRegistry('111122223333.dkr.ecr.us-east-1.amazonaws.com/base:1').bind(stack))
        .toThrow('parentImage of a private ECR registry must come from ContainerParentImage.fromEcr(repository), which lets the build instances ' +
          "pull it, got '111122223333.dkr.ecr.us-east-1.amazonaws.com/base:1' (import the repository with ecr.Repository.fromRepositoryAttributes)");
      expect(() => ContainerParentImage.fromRegistry(`${Aws.ACCOUNT_ID}.dkr.ecr.${Aws.REGION}.amazonaws.com/base:1`).bind(stack))
        .toThrow(/^parentImage of a private ECR registry must come from ContainerParentImage\.fromEcr\(repository\)/);
    });

    test.each([
      ['an uppercase repository', 'registry.example.com/Team/base', {},
        'parentImage image reference must be [registry host[:port]/]repository[:tag][@digest], with the repository in lowercase path components, ' +
        "like 'registry.example.com:5000/team/base:1.4', got 'registry.example.com/Team/base'"],
      ['a scheme', 'https://registry.example.com/base', {},
        'parentImage image reference must be [registry host[:port]/]repository[:tag][@digest], with the repository in lowercase path components, ' +
        "like 'registry.example.com:5000/team/base:1.4', got 'https://registry.example.com/base'"],
      ['a tag twice', 'registry.example.com/base:1.4', { tag: '1.5' },
        "parentImage tag must be left out when the image reference names a tag or digest, got the tag '1.5' and 'registry.example.com/base:1.4'"],
      ['a bad tag', 'registry.example.com/base', { tag: '-x' },
        "parentImage tag must be 1 to 128 letters, digits, underscores, dots and hyphens, starting with a letter, digit or underscore, got '-x'"],
    ])('fails on %s', (_, reference, options, message) => {
      expect(() => ContainerParentImage.fromRegistry(reference, options).bind(stack)).toThrow(message);
    });
  });
});
