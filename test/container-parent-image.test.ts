import { App, Stack } from 'aws-cdk-lib';
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
});
